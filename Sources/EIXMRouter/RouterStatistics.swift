import EIXMModel
import EIXMRules

/// What the router counted: the numbers behind the throughput line and the exercise report.
public struct RouterStatistics: Sendable {
    public var received = 0
    public var accepted = 0
    public var rejected = 0
    public var delivered = 0
    public var acknowledged = 0
    /// Delivery receipts refused (a signature that does not verify, digests of other content).
    public var receiptsRefused = 0
    public var queued = 0
    public var copies = 0
    /// Deliveries sent after a commit, counted once per recipient per commit: the writes recipients received them
    /// in (what a recipient could verify at once, were the router to attest each; deliveries sent again on a
    /// reconnect not counted).
    public var deliveryWrites = 0
    /// Accepted messages by channel and message type.
    public var acceptedByChannelAndType: [String: Int] = [:]
    /// Rejected messages by the rule (or router check) behind the rejection; a message breaking two rules counts
    /// under both.
    public var rejectionsByRule: [String: Int] = [:]
    /// Deadline outcomes by deadline rule (DL-01, DL-02, DL-03, DL-08, DL-09).
    public var deadlinesMet: [String: Int] = [:]
    public var deadlinesBreached: [String: Int] = [:]
    public var deadlinesOpen: [String: Int] = [:]
    /// Requests whose deadline judicial authorisation extended (DL-05).
    public var deadlinesExtended = 0
    /// Duties raised by rules, by rule and kind (e.g. "EU-02 copy").
    public var obligations: [String: Int] = [:]
    /// Commits the audit log or the spool could not store (their answers and deliveries were withheld).
    public var storageFailures = 0
    /// Refused connections (wrong HELLO, revoked).
    public var refusedConnections = 0
    /// Connections the listening socket closed by its limits, by reason (filled in by whoever runs the socket).
    public var closedByLimits: [String: Int] = [:]
    /// Nodes that connected at least once.
    public var connectedNodes: Set<NodeID> = []
    /// Nodes connected now.
    public var onlineNodes: Set<NodeID> = []
    /// Messages waiting per node (offline or unacknowledged).
    public var queueDepths: [NodeID: Int] = [:]
    /// Batch-signed envelopes: root signatures checked (one per batch seen, unless the cache dropped it) and envelopes
    /// whose root was already verified.
    public var batchRootVerifications = 0
    public var batchRootHits = 0
    /// Batch-signed receipts, likewise.
    public var receiptRootVerifications = 0
    public var receiptRootHits = 0
    /// Node hashes on the paths of batch-signed envelopes and receipts: computed, and found already computed.
    public var pathNodesComputed = 0
    public var pathNodesRemembered = 0
    /// Router latency (receipt of the frame to the decision's frames queued), microseconds, by percentile.
    public var latencyMicroseconds: [String: Double] = [:]
    /// Commits (asking the audit log and the spool to store what is held, until both have), microseconds, by
    /// percentile: what a held answer waits for after its decision, once or (decided during one) twice.
    public var commitMicroseconds: [String: Double] = [:]

    public init() {}
}

extension RouterStatistics {
    /// The counts of a router that restarted, over both lives: this life's counts added to the earlier life's; who
    /// is online, what waits and what is open are this life's (it restored what the earlier one left), and so is the
    /// latency (percentiles do not add up).
    public func following(_ earlier: RouterStatistics) -> RouterStatistics {
        func sum(_ a: [String: Int], _ b: [String: Int]) -> [String: Int] { a.merging(b, uniquingKeysWith: +) }
        var total = self
        total.received += earlier.received
        total.accepted += earlier.accepted
        total.rejected += earlier.rejected
        total.delivered += earlier.delivered
        total.acknowledged += earlier.acknowledged
        total.receiptsRefused += earlier.receiptsRefused
        total.queued += earlier.queued
        total.copies += earlier.copies
        total.deliveryWrites += earlier.deliveryWrites
        total.batchRootVerifications += earlier.batchRootVerifications
        total.batchRootHits += earlier.batchRootHits
        total.receiptRootVerifications += earlier.receiptRootVerifications
        total.receiptRootHits += earlier.receiptRootHits
        total.pathNodesComputed += earlier.pathNodesComputed
        total.pathNodesRemembered += earlier.pathNodesRemembered
        total.acceptedByChannelAndType = sum(acceptedByChannelAndType, earlier.acceptedByChannelAndType)
        total.rejectionsByRule = sum(rejectionsByRule, earlier.rejectionsByRule)
        total.deadlinesMet = sum(deadlinesMet, earlier.deadlinesMet)
        total.deadlinesBreached = sum(deadlinesBreached, earlier.deadlinesBreached)
        total.deadlinesExtended += earlier.deadlinesExtended
        total.obligations = sum(obligations, earlier.obligations)
        total.storageFailures += earlier.storageFailures
        total.refusedConnections += earlier.refusedConnections
        total.connectedNodes.formUnion(earlier.connectedNodes)
        return total
    }
}
