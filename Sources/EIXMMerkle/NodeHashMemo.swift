import Synchronization

/// A bounded memo of RFC 9162 interior-node hashes, SHA-256(0x01 || left || right), for a verifier that walks the
/// inclusion paths of many envelopes of the same batches: the paths of one batch share their upper nodes, so that
/// walking each envelope's path computes each interior node of the batch's tree once instead of once per leaf under
/// it (a batch of 64 has 63 interior nodes; its 64 paths hold 384 of them).
///
/// The node hash is a pure function of its two children, so remembering its results is safe whoever supplied the
/// children: a forged path computes the same hashes with the memo as without it. Direct-mapped, as a CPU cache: a
/// fixed table of `capacity` slots chosen by bits of the children (SHA-256 outputs, already uniform), a new result
/// replacing whatever held its slot; no hashing, probing or growing on the way.
public final class NodeHashMemo: Sendable {
    /// Counts, for measuring what the memo saves.
    public struct Statistics: Hashable, Sendable {
        /// Node hashes found in the memo.
        public var hits = 0
        /// Node hashes computed (and remembered).
        public var misses = 0
    }

    private struct Slot {
        var left: MerkleTree.Hash
        var right: MerkleTree.Hash
        var parent: MerkleTree.Hash
        var filled = false
    }

    /// A part of the table under a lock of its own, so that the event loops walking paths at once seldom wait for
    /// each other or pass one lock's cache line back and forth.
    private final class Shard: Sendable {
        struct State {
            var slots: ContiguousArray<Slot>
            var filled = 0
            var statistics = Statistics()
        }
        let state: Mutex<State>

        init(slots: Int) {
            let empty = MerkleTree.Hash([UInt8](repeating: 0, count: 32))
            state = Mutex(
                State(slots: ContiguousArray(repeating: Slot(left: empty, right: empty, parent: empty), count: slots))
            )
        }
    }

    /// Slots in the table: a power of two, at least `shardCount`.
    public let capacity: Int
    private let shards: [Shard]
    private static let shardCount = 16

    /// A memo of `capacity` results (rounded up to a power of two, at least 16).
    public init(capacity: Int = 1_024) {
        precondition(capacity > 0, "a memo of node hashes holds at least one")
        var slots = Self.shardCount
        while slots < capacity { slots <<= 1 }
        self.capacity = slots
        shards = (0..<Self.shardCount).map { _ in Shard(slots: slots / Self.shardCount) }
    }

    public var statistics: Statistics {
        shards.reduce(into: Statistics()) { total, shard in
            let statistics = shard.state.withLock { $0.statistics }
            total.hits += statistics.hits
            total.misses += statistics.misses
        }
    }

    /// Results held now (at most the capacity).
    public var count: Int { shards.reduce(0) { $0 + $1.state.withLock { $0.filled } } }

    /// SHA-256(0x01 || left || right): remembered, or computed and remembered.
    func node(_ left: MerkleTree.Hash, _ right: MerkleTree.Hash) -> MerkleTree.Hash {
        let bits = Int(truncatingIfNeeded: left.words.0 ^ right.words.1) & (capacity - 1)
        let shard = shards[bits & (Self.shardCount - 1)]
        let index = bits / Self.shardCount
        let known = shard.state.withLock { state -> MerkleTree.Hash? in
            guard state.slots[index].filled, state.slots[index].left == left, state.slots[index].right == right else {
                return nil
            }
            state.statistics.hits += 1
            return state.slots[index].parent
        }
        if let known { return known }
        let parent = MerkleTree.Hash.node(left, right)
        shard.state.withLock { state in
            state.statistics.misses += 1
            if !state.slots[index].filled { state.filled += 1 }
            state.slots[index] = Slot(left: left, right: right, parent: parent, filled: true)
        }
        return parent
    }
}
