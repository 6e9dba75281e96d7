import Crypto

/// An RFC 9162 (§2.1.1) Merkle tree over a sequence of entries, kept incrementally: only the roots of its complete
/// subtrees are held (at most one per bit of the size), so appending costs one leaf hash and, on average, one node
/// hash, and the root of the entries so far is available at any time.
///
/// Leaf hash: SHA-256(0x00 || entry). Node hash: SHA-256(0x01 || left || right). The tree of n entries splits at
/// the largest power of two below n; the empty tree's hash is SHA-256 of nothing.
public struct MerkleTree: Sendable, Hashable {
    /// The roots of the complete subtrees, largest (leftmost) first, with their sizes (powers of two, decreasing).
    private var subtrees: [(size: UInt64, hash: [UInt8])] = []
    /// The number of entries.
    public private(set) var size: UInt64 = 0

    public init() {}

    /// Appends an entry.
    public mutating func append(entry: some Sequence<UInt8>) { append(leafHash: Self.leafHash(entry)) }

    /// Appends an entry given by its leaf hash.
    public mutating func append(leafHash: [UInt8]) {
        var hash = leafHash
        var height: UInt64 = 1
        while let last = subtrees.last, last.size == height {
            subtrees.removeLast()
            hash = Self.nodeHash(last.hash, hash)
            height <<= 1
        }
        subtrees.append((height, hash))
        size += 1
    }

    /// The tree's hash (its root).
    public var root: [UInt8] {
        guard var hash = subtrees.last?.hash else { return Array(SHA256.hash(data: [UInt8]())) }
        for subtree in subtrees.dropLast().reversed() { hash = Self.nodeHash(subtree.hash, hash) }
        return hash
    }

    public static func leafHash(_ entry: some Sequence<UInt8>) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: [0])
        hasher.update(data: Array(entry))
        return Array(hasher.finalize())
    }

    /// The leaf hash of an entry held in a buffer, without copying it.
    public static func leafHash(_ entry: UnsafeRawBufferPointer) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: [0])
        hasher.update(bufferPointer: entry)
        return Array(hasher.finalize())
    }

    public static func nodeHash(_ left: [UInt8], _ right: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: [1])
        hasher.update(data: left)
        hasher.update(data: right)
        return Array(hasher.finalize())
    }

    /// The largest power of two smaller than `size` (size > 1): where a tree of that size splits.
    static func split(_ size: UInt64) -> UInt64 {
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
