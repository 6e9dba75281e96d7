/// Inclusion and consistency proofs of an RFC 9162 Merkle tree (§2.1.3, §2.1.4), and of its subtrees as the Merkle
/// Tree Certificates drafts define them: a subtree `[start, end)` is valid when `start` is a multiple of the
/// smallest power of two not below `end - start`, and its hash is the tree hash of those entries.
///
/// A proof is a list of subtree hashes, lowest first. `ranges` say which entries each one covers, so that a prover
/// holding the entries can compute them; the verifiers walk the same shape with the hashes given and recompute the
/// roots, refusing a proof of the wrong length.
public enum MerkleProof {
    /// Why a proof was refused.
    public struct Failure: Error, Sendable, Hashable, CustomStringConvertible {
        public let description: String
        package init(_ description: String) { self.description = description }
    }

    // MARK: Which subtrees a proof holds

    /// The entry ranges whose hashes make the inclusion proof of entry `index` in the tree of `size` entries.
    public static func inclusionRanges(index: UInt64, size: UInt64) throws(Failure) -> [Range<UInt64>] {
        guard index < size else { throw Failure("entry \(index) is not in a tree of \(size) entries") }
        var ranges: [Range<UInt64>] = []
        inclusion(index: index, lo: 0, hi: size, into: &ranges)
        return ranges
    }

    private static func inclusion(index: UInt64, lo: UInt64, hi: UInt64, into ranges: inout [Range<UInt64>]) {
        guard hi - lo > 1 else { return }
        let mid = lo + MerkleTree.split(hi - lo)
        if index < mid {
            inclusion(index: index, lo: lo, hi: mid, into: &ranges)
            ranges.append(mid..<hi)
        } else {
            inclusion(index: index, lo: mid, hi: hi, into: &ranges)
            ranges.append(lo..<mid)
        }
    }

    /// The entry ranges whose hashes make the consistency proof from the tree of `oldSize` entries to the tree of
    /// `newSize` (0 < oldSize <= newSize).
    public static func consistencyRanges(oldSize: UInt64, newSize: UInt64) throws(Failure) -> [Range<UInt64>] {
        guard oldSize > 0, oldSize <= newSize else {
            throw Failure("no consistency proof from a tree of \(oldSize) entries to one of \(newSize)")
        }
        var ranges: [Range<UInt64>] = []
        consistency(start: 0, end: oldSize, lo: 0, hi: newSize, known: true, into: &ranges)
        return ranges
    }

    private static func consistency(
        start: UInt64,
        end: UInt64,
        lo: UInt64,
        hi: UInt64,
        known: Bool,
        into ranges: inout [Range<UInt64>]
    ) {
        if start == lo, end == hi {
            if !known { ranges.append(lo..<hi) }
            return
        }
        let mid = lo + MerkleTree.split(hi - lo)
        if end <= mid {
            consistency(start: start, end: end, lo: lo, hi: mid, known: known, into: &ranges)
            ranges.append(mid..<hi)
        } else if start >= mid {
            consistency(start: start, end: end, lo: mid, hi: hi, known: known, into: &ranges)
            ranges.append(lo..<mid)
        } else {
            consistency(start: mid, end: end, lo: mid, hi: hi, known: false, into: &ranges)
            ranges.append(lo..<mid)
        }
    }

    // MARK: Verifying

    /// Checks that `proof` shows the entry with `leafHash` at `index` in the tree of `size` entries whose root is
    /// `root`.
    public static func verifyInclusion(
        index: UInt64,
        size: UInt64,
        leafHash: [UInt8],
        proof: [[UInt8]],
        root: [UInt8]
    ) throws(Failure) {
        let computed = try rootFromInclusion(index: index, size: size, leafHash: leafHash, proof: proof)
        guard computed == root else {
            throw Failure("the proof gives another root: the entry or the proof was changed")
        }
    }

    /// The root of the tree of `size` entries that `proof` gives for the entry with `leafHash` at `index`: what the
    /// proof claims, to be compared with a root known otherwise (or whose signature is then checked).
    public static func rootFromInclusion(
        index: UInt64,
        size: UInt64,
        leafHash: [UInt8],
        proof: [[UInt8]]
    ) throws(Failure) -> [UInt8] {
        try checkHashes(proof, and: leafHash)
        return try rootFromInclusion(index: index, size: size, leafHash: leafHash, path: proof.flatMap { $0 })
    }

    /// The same from a path whose hashes are concatenated (32 bytes each, lowest first), as a batch signature carries
    /// it. RFC 9162 §2.1.3.2's iterative walk, with the hashes read in place (no allocation per level): it runs once
    /// per batch-signed envelope. With a `memo`, each node hash already computed through it is looked up instead.
    public static func rootFromInclusion(
        index: UInt64,
        size: UInt64,
        leafHash: [UInt8],
        path: [UInt8],
        memo: NodeHashMemo? = nil
    ) throws(Failure) -> [UInt8] {
        guard index < size else { throw Failure("entry \(index) is not in a tree of \(size) entries") }
        guard leafHash.count == 32, path.count % 32 == 0 else { throw Failure("a hash is not 32 bytes long") }
        let count = path.count / 32
        let walked: Result<MerkleTree.Hash, Failure> = path.withUnsafeBytes { path in
            var (node, last) = (index, size - 1)
            var hash = MerkleTree.Hash(leafHash)
            for level in 0..<count {
                guard last > 0 else { return .failure(Failure("the proof is too long (\(count) hashes)")) }
                let sibling = MerkleTree.Hash(UnsafeRawBufferPointer(rebasing: path[(level * 32)..<(level * 32 + 32)]))
                if node & 1 == 1 || node == last {
                    hash = memo?.node(sibling, hash) ?? MerkleTree.Hash.node(sibling, hash)
                    // A right-most node without a sibling at its level moves up until it has one.
                    while node & 1 == 0, node != 0 {
                        node >>= 1
                        last >>= 1
                    }
                } else {
                    hash = memo?.node(hash, sibling) ?? MerkleTree.Hash.node(hash, sibling)
                }
                node >>= 1
                last >>= 1
            }
            guard last == 0 else { return .failure(Failure("the proof is too short (\(count) hashes)")) }
            return .success(hash)
        }
        return try walked.get().bytes
    }

    /// Checks that `proof` shows the entry with `leafHash` at `index` in the subtree `[start, end)` whose hash is
    /// `root`.
    public static func verifySubtreeInclusion(
        index: UInt64,
        start: UInt64,
        end: UInt64,
        leafHash: [UInt8],
        proof: [[UInt8]],
        root: [UInt8]
    ) throws(Failure) {
        try checkSubtree(start: start, end: end)
        guard index >= start, index < end else {
            throw Failure("entry \(index) is not in the subtree [\(start), \(end))")
        }
        try checkHashes(proof, and: leafHash)
        var walk = Walk(proof: proof)
        let computed = try walk.inclusion(index: index, lo: start, hi: end, leafHash: leafHash)
        try walk.finish()
        guard computed == root else {
            throw Failure("the proof gives another root: the entry or the proof was changed")
        }
    }

    /// Checks that `proof` shows the tree of `oldSize` entries with root `oldRoot` to be a prefix of the tree of
    /// `newSize` entries with root `newRoot`.
    public static func verifyConsistency(
        oldSize: UInt64,
        newSize: UInt64,
        oldRoot: [UInt8],
        newRoot: [UInt8],
        proof: [[UInt8]]
    ) throws(Failure) {
        guard oldSize > 0 else { throw Failure("a consistency proof from the empty tree means nothing") }
        guard oldSize <= newSize else {
            throw Failure("the old tree (\(oldSize)) is larger than the new one (\(newSize))")
        }
        try verifySubtreeConsistency(
            start: 0,
            end: oldSize,
            size: newSize,
            subtreeRoot: oldRoot,
            root: newRoot,
            proof: proof
        )
    }

    /// Checks that `proof` shows the subtree `[start, end)` with hash `subtreeRoot` (or, with `start` 0, the tree of
    /// the first `end` entries) to be part of the tree of `size` entries with root `root`.
    public static func verifySubtreeConsistency(
        start: UInt64,
        end: UInt64,
        size: UInt64,
        subtreeRoot: [UInt8],
        root: [UInt8],
        proof: [[UInt8]]
    ) throws(Failure) {
        guard end <= size else { throw Failure("the subtree [\(start), \(end)) ends past the tree's \(size) entries") }
        if start == end {
            // The empty subtree is part of every tree; its hash is the empty tree's, and nothing proves it.
            guard subtreeRoot == MerkleTree().root, proof.isEmpty else {
                throw Failure("an empty subtree has the empty tree's hash and an empty proof")
            }
            return
        }
        if start > 0 { try checkSubtree(start: start, end: end) }
        try checkHashes(proof)
        var walk = Walk(proof: proof)
        let (old, new) = try walk.consistency(
            start: start,
            end: end,
            lo: 0,
            hi: size,
            known: subtreeRoot
        )
        try walk.finish()
        guard old == subtreeRoot else {
            throw Failure("the proof gives another old root: the proof or the old root was changed")
        }
        guard new == root else { throw Failure("the proof gives another root: the proof or the new root was changed") }
    }

    private static func checkSubtree(start: UInt64, end: UInt64) throws(Failure) {
        guard start < end else { throw Failure("the subtree [\(start), \(end)) is empty") }
        let width = end - start
        let ceiling: UInt64 = width <= 1 ? 1 : 1 << (64 - (width - 1).leadingZeroBitCount)
        guard ceiling > 0, start % ceiling == 0 else {
            throw Failure("[\(start), \(end)) is not a subtree of a Merkle tree")
        }
    }

    private static func checkHashes(_ hashes: [[UInt8]], and leafHash: [UInt8]? = nil) throws(Failure) {
        guard leafHash.map({ $0.count == 32 }) ?? true, hashes.allSatisfy({ $0.count == 32 }) else {
            throw Failure("a hash is not 32 bytes long")
        }
    }

    /// Walks a proof's hashes in order along the tree's shape.
    private struct Walk {
        let proof: [[UInt8]]
        var next = 0

        init(proof: [[UInt8]]) { self.proof = proof }

        mutating func take() throws(Failure) -> [UInt8] {
            guard next < proof.count else { throw Failure("the proof is too short (\(proof.count) hashes)") }
            defer { next += 1 }
            return proof[next]
        }

        func finish() throws(Failure) {
            guard next == proof.count else {
                throw Failure("the proof is too long (\(proof.count) hashes, \(next) used)")
            }
        }

        mutating func inclusion(index: UInt64, lo: UInt64, hi: UInt64, leafHash: [UInt8]) throws(Failure) -> [UInt8] {
            guard hi - lo > 1 else { return leafHash }
            let mid = lo + MerkleTree.split(hi - lo)
            if index < mid {
                let left = try inclusion(index: index, lo: lo, hi: mid, leafHash: leafHash)
                return MerkleTree.nodeHash(left, try take())
            }
            let right = try inclusion(index: index, lo: mid, hi: hi, leafHash: leafHash)
            return MerkleTree.nodeHash(try take(), right)
        }

        /// The hash of entries `[start, end)` and of `[lo, hi)` as the proof gives them; `known` is the former's
        /// hash when the verifier has it (the proof then leaves it out).
        mutating func consistency(
            start: UInt64,
            end: UInt64,
            lo: UInt64,
            hi: UInt64,
            known: [UInt8]?
        ) throws(Failure) -> (old: [UInt8], new: [UInt8]) {
            if start == lo, end == hi {
                if let known { return (known, known) }
                let hash = try take()
                return (hash, hash)
            }
            let mid = lo + MerkleTree.split(hi - lo)
            if end <= mid {
                let (old, left) = try consistency(start: start, end: end, lo: lo, hi: mid, known: known)
                return (old, MerkleTree.nodeHash(left, try take()))
            }
            if start >= mid {
                let (old, right) = try consistency(start: start, end: end, lo: mid, hi: hi, known: known)
                return (old, MerkleTree.nodeHash(try take(), right))
            }
            // Only a prefix of [lo, hi) can straddle its split (a valid subtree lies on one side).
            guard start == lo else { throw Failure("[\(start), \(end)) is not a subtree of a Merkle tree") }
            let (oldRight, right) = try consistency(start: mid, end: end, lo: mid, hi: hi, known: nil)
            let left = try take()
            return (MerkleTree.nodeHash(left, oldRight), MerkleTree.nodeHash(left, right))
        }
    }
}
