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

    public init() {}
}
