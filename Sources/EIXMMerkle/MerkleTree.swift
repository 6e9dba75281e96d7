import Crypto

/// An RFC 9162 (§2.1.1) Merkle tree over a sequence of entries, kept incrementally: only the roots of its complete
/// subtrees are held (at most one per bit of the size), so appending costs one leaf hash and, on average, one node
/// hash, and the root of the entries so far is available at any time.
///
/// Leaf hash: SHA-256(0x00 || entry). Node hash: SHA-256(0x01 || left || right). The tree of n entries splits at
/// the largest power of two below n; the empty tree's hash is SHA-256 of nothing.
public struct MerkleTree: Sendable, Hashable {
    /// A 32-byte hash held inline (no allocation per node).
    struct Hash: Sendable, Hashable {
        var words: (UInt64, UInt64, UInt64, UInt64)

        init(_ bytes: UnsafeRawBufferPointer) {
            words = (
                bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self),
                bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
                bytes.loadUnaligned(fromByteOffset: 16, as: UInt64.self),
                bytes.loadUnaligned(fromByteOffset: 24, as: UInt64.self)
            )
        }

        init(_ bytes: [UInt8]) {
            precondition(bytes.count == 32)
            self = bytes.withUnsafeBytes { Hash($0) }
        }

        var bytes: [UInt8] { withUnsafeBytes(of: words) { Array($0) } }

        static func == (lhs: Hash, rhs: Hash) -> Bool {
            lhs.words.0 == rhs.words.0 && lhs.words.1 == rhs.words.1 && lhs.words.2 == rhs.words.2
                && lhs.words.3 == rhs.words.3
        }

        func hash(into hasher: inout Hasher) { withUnsafeBytes(of: words) { hasher.combine(bytes: $0) } }

        /// SHA-256(0x01 || left || right), through a buffer on the stack.
        static func node(_ left: Hash, _ right: Hash) -> Hash {
            withUnsafeTemporaryAllocation(byteCount: 65, alignment: 8) { buffer in
                buffer[0] = 1
                withUnsafeBytes(of: left.words) {
                    (buffer.baseAddress! + 1).copyMemory(from: $0.baseAddress!, byteCount: 32)
                }
                withUnsafeBytes(of: right.words) {
                    (buffer.baseAddress! + 33).copyMemory(from: $0.baseAddress!, byteCount: 32)
                }
                var hasher = SHA256()
                hasher.update(bufferPointer: UnsafeRawBufferPointer(buffer))
                return hasher.finalize().withUnsafeBytes { Hash($0) }
            }
        }
    }

    /// The roots of the complete subtrees, largest (leftmost) first, with their sizes (powers of two, decreasing).
    private var subtrees: [(size: UInt64, hash: Hash)] = []
    /// The number of entries.
    public private(set) var size: UInt64 = 0

    public init() {}

    /// Appends an entry.
    public mutating func append(entry: some Sequence<UInt8>) { append(leafHash: Self.leafHash(entry)) }

    /// Appends an entry given by its leaf hash: a SHA-256 digest, 32 bytes (the writer's and verifier's own).
    package mutating func append(leafHash: [UInt8]) { append(Hash(leafHash)) }

    /// Appends an entry given by its leaf hash, the 32 bytes at `leafHash` (a slice of 32 of the verifier's digests).
    package mutating func append(leafHash: UnsafeRawBufferPointer) { append(Hash(leafHash)) }

    /// Appends an entry held in a buffer: its leaf hash goes into the tree with no array in between (the audit
    /// writer, once per record).
    package mutating func append(entryIn entry: UnsafeRawBufferPointer) {
        append(Self.leafDigest(entry).withUnsafeBytes { Hash($0) })
    }

    mutating func append(_ leaf: Hash) {
        var hash = leaf
        var height: UInt64 = 1
        while let last = subtrees.last, last.size == height {
            subtrees.removeLast()
            hash = Hash.node(last.hash, hash)
            height <<= 1
        }
        subtrees.append((height, hash))
        size += 1
    }

    /// The tree's hash (its root).
    public var root: [UInt8] {
        guard var hash = subtrees.last?.hash else { return Array(SHA256.hash(data: [UInt8]())) }
        for subtree in subtrees.dropLast().reversed() { hash = Hash.node(subtree.hash, hash) }
        return hash.bytes
    }

    public static func leafHash(_ entry: some Sequence<UInt8>) -> [UInt8] {
        entry.withContiguousStorageIfAvailable { leafHash(UnsafeRawBufferPointer($0)) }
            ?? Array(entry).withUnsafeBytes { leafHash($0) }
    }

    /// The leaf hash of an entry held in a buffer, without copying it.
    public static func leafHash(_ entry: UnsafeRawBufferPointer) -> [UInt8] { bytes(of: leafDigest(entry)) }

    /// SHA-256(0x00 || entry).
    private static func leafDigest(_ entry: UnsafeRawBufferPointer) -> SHA256Digest {
        var hasher = SHA256()
        withUnsafeBytes(of: UInt8(0)) { hasher.update(bufferPointer: $0) }
        hasher.update(bufferPointer: entry)
        return hasher.finalize()
    }

    public static func nodeHash(_ left: [UInt8], _ right: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        withUnsafeBytes(of: UInt8(1)) { hasher.update(bufferPointer: $0) }
        hasher.update(data: left)
        hasher.update(data: right)
        return bytes(of: hasher.finalize())
    }

    /// A digest's 32 bytes, copied at once (`Array(digest)` goes through its iterator byte by byte).
    static func bytes(of digest: SHA256Digest) -> [UInt8] {
        digest.withUnsafeBytes { Array($0) }
    }

    /// The root of the tree over `leafHashes` and every entry's inclusion path (its proof's hashes concatenated, 32
    /// bytes each, lowest first), built in one pass: each subtree's hash is computed once and given to every entry of
    /// its sibling.
    public static func rootAndInclusionPaths(leafHashes: [[UInt8]]) -> (root: [UInt8], paths: [[UInt8]]) {
        guard !leafHashes.isEmpty else { return (Array(SHA256.hash(data: [UInt8]())), []) }
        var paths = [[UInt8]](repeating: [], count: leafHashes.count)
        if leafHashes.count > 1 {
            let depth = 64 - UInt64(leafHashes.count - 1).leadingZeroBitCount
            for index in paths.indices { paths[index].reserveCapacity(depth * 32) }
        }
        func subtree(_ lo: Int, _ hi: Int) -> Hash {
            guard hi - lo > 1 else { return Hash(leafHashes[lo]) }
            let mid = lo + Int(split(UInt64(hi - lo)))
            let left = subtree(lo, mid)
            let right = subtree(mid, hi)
            withUnsafeBytes(of: right.words) { right in
                for index in lo..<mid { paths[index].append(contentsOf: right) }
            }
            withUnsafeBytes(of: left.words) { left in
                for index in mid..<hi { paths[index].append(contentsOf: left) }
            }
            return Hash.node(left, right)
        }
        let root = subtree(0, leafHashes.count)
        return (root.bytes, paths)
    }

    /// The largest power of two smaller than `size` (size > 1): where a tree of that size splits.
    package static func split(_ size: UInt64) -> UInt64 {
        1 << (63 - (size - 1).leadingZeroBitCount)
    }

    public static func == (lhs: MerkleTree, rhs: MerkleTree) -> Bool {
        lhs.size == rhs.size && lhs.subtrees.map(\.hash) == rhs.subtrees.map(\.hash)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(size)
        for subtree in subtrees { hasher.combine(subtree.hash) }
    }
}
