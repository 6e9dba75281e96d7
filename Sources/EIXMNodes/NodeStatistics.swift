import EIXMModel
import Foundation

/// What a node counted during an exercise.
public struct NodeStatistics: Sendable, Hashable {
    public var sent = 0
    public var accepted = 0
    public var rejected = 0
    public var rejectionsByRule: [String: Int] = [:]
    public var received = 0
    /// Deliveries received again (at-least-once delivery) and not acted on twice.
    public var duplicatesSuppressed = 0
    /// Deliveries whose signature did not verify.
    public var badSignatures = 0
    public var answered = 0
    public var hitNotifications = 0
    /// Requests this node received, answered by their deadline or after it (its own view of DL-01 to DL-03).
    public var answeredInTime = 0
    public var answeredLate = 0
    /// Requests this node sent, and how many have been answered (reply or refusal).
    public var requestsSent = 0
    public var answersReceived = 0
    /// The node's session with the router: connections, resends, time without a router, connected at the end.
    public var session = RouterSession.Statistics()
    public var connections: Int { session.connections }
    /// The messages the node acted on: each once, however often it was delivered.
    public var actedOn: Set<UUID> = []
    /// The headers of the messages this node sent that the router answered ACCEPTED, in the order of the answers:
    /// the senders' own record of what must reach its addressees, kept apart from anything the router says.
    public var acceptedHeaders: [Header] = []
    /// The messages this node sent that the router refused.
    public var refusedMessages: Set<UUID> = []
    /// When each message this node acted on was created and when it was acted on (simulated time): what a fault
    /// delayed, for the report.
    public var actedOnTimes: [ActedOnTime] = []

    /// One message acted on, and when.
    public struct ActedOnTime: Sendable, Hashable {
        public var message: UUID
        public var created: Timestamp
        public var actedOn: Timestamp
    }

    public init() {}

    /// A node that crashed and started again, over both lives: this life's counts added to the earlier life's. A
    /// message answered in the earlier life and, its answer not yet in the journal, sent and answered again in this one
    /// counts once.
    public func following(_ earlier: NodeStatistics) -> NodeStatistics {
        var total = self
        total.sent += earlier.sent
        total.accepted += earlier.accepted
        total.rejected += earlier.rejected
        total.rejectionsByRule.merge(earlier.rejectionsByRule, uniquingKeysWith: +)
        total.received += earlier.received
        total.duplicatesSuppressed += earlier.duplicatesSuppressed
        total.badSignatures += earlier.badSignatures
        total.answered += earlier.answered
        total.hitNotifications += earlier.hitNotifications
        total.answeredInTime += earlier.answeredInTime
        total.answeredLate += earlier.answeredLate
        total.requestsSent += earlier.requestsSent
        total.answersReceived += earlier.answersReceived
        total.session.connections += earlier.session.connections
        total.session.resent += earlier.session.resent
        total.session.timeWithoutRouter += earlier.session.timeWithoutRouter
        total.actedOn.formUnion(earlier.actedOn)
        let acceptedBefore = Set(earlier.acceptedHeaders.map(\.id))
        let acceptedAgain = acceptedHeaders.filter { acceptedBefore.contains($0.id) }
        total.accepted -= acceptedAgain.count
        total.acceptedHeaders = earlier.acceptedHeaders + acceptedHeaders.filter { !acceptedBefore.contains($0.id) }
        total.rejected -= refusedMessages.intersection(earlier.refusedMessages).count
        total.refusedMessages.formUnion(earlier.refusedMessages)
        total.actedOnTimes = earlier.actedOnTimes + actedOnTimes
        return total
    }
}
