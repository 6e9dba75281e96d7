import EIXMMerkle
import EIXMModel

/// The batch roots whose signatures have been checked, so that each (sender key, batch) costs one Ed25519
/// verification however many of its envelopes arrive. Bounded: two generations of at most `capacity` roots each;
/// when the newer one is full the older is dropped (a root seen again after that is verified again). Only a root
/// whose signature verified is ever added, so a forged path or signature never makes a later envelope pass.
public final class VerifiedRoots: Sendable {
    /// A root as it was verified: the signer's key (raw bytes), the batch size, the root and the signature itself
    /// (an envelope passes only with the very signature that verified, so that what is accepted also verifies alone).
    struct Entry: Hashable {
        let key: [UInt8]
        let batchSize: UInt32
        let root: [UInt8]
        let signature: [UInt8]

        /// Hashes the root alone, as whole bytes: it is a SHA-256 digest, already uniform, and the synthesized hash fed
        /// every byte of the key, the root and the signature to the hasher one at a time (two lookups per envelope).
        /// Equality still compares every field.
        func hash(into hasher: inout Hasher) {
            root.withUnsafeBytes { hasher.combine(bytes: $0) }
        }
    }

    /// Counts, for measuring what batch signatures save.
    public struct Statistics: Hashable, Sendable {
        /// Envelopes whose root was already verified.
        public var hits = 0
        /// Root signatures checked (each a cache miss), valid or not.
        public var verifications = 0
        /// Root signatures that did not verify.
        public var failures = 0
        /// Node hashes on the paths walked: computed, and found in ``VerifiedRoots/nodes``.
        public var pathNodesComputed = 0
        public var pathNodesRemembered = 0

        public init() {}
    }

    private struct State {
        var current: Set<Entry> = []
        var previous: Set<Entry> = []
        var statistics = Statistics()
    }

    public let capacity: Int
    private let state = Locked(State())
    /// For a verifier that sees most envelopes of each batch (the router): the node hashes of the batches' paths,
    /// each computed once. `nil` for one that sees a leaf or two of each (a node: its deliveries come from many
    /// senders' batches), for which it would only cost memory.
    public let nodes: NodeHashMemo?

    public init(capacity: Int = 8_192, memoizedNodes: Int = 0) {
        precondition(capacity > 0, "a cache of verified roots holds at least one root")
        self.capacity = capacity
        nodes = memoizedNodes > 0 ? NodeHashMemo(capacity: memoizedNodes) : nil
    }

    public var statistics: Statistics {
        var statistics = state.withLock { $0.statistics }
        if let memo = nodes?.statistics {
            statistics.pathNodesComputed = memo.misses
            statistics.pathNodesRemembered = memo.hits
        }
        return statistics
    }

    /// Whether `entry` is known to be verified, counting a hit when it is.
    func contains(_ entry: Entry) -> Bool {
        state.withLock { state in
            guard state.current.contains(entry) || state.previous.contains(entry) else { return false }
            state.statistics.hits += 1
            return true
        }
    }

    /// Records the outcome of checking `entry`'s signature, keeping it only when it verified.
    func verified(_ entry: Entry, valid: Bool) {
        state.withLock { state in
            state.statistics.verifications += 1
            guard valid else {
                state.statistics.failures += 1
                return
            }
            if state.current.count >= capacity {
                state.previous = state.current
                state.current = []
            }
            state.current.insert(entry)
        }
    }
}
