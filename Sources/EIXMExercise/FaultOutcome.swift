import Foundation

/// What one fault did and cost, for the report's fault timeline.
public struct FaultOutcome: Codable, Sendable, Hashable {
    /// The fault as planned, in words.
    public var fault: String
    public var kind: String
    public var nodes: [String]
    /// The nodes it struck: its own nodes, or, for a router crash, those connected when it started.
    public var struck: [String]
    /// When it started and ended, in real seconds after the start of the traffic, as it happened.
    public var startedAtSeconds: Double
    public var endedAtSeconds: Double
    /// The same moments in simulated time (RFC 3339).
    public var simulatedStart: String
    public var simulatedEnd: String
    /// Messages held up when it ended: unanswered at the nodes it struck (every node for a router crash) and waiting
    /// at the router for them.
    public var waitingWhenItEnded: Int
    /// Messages the struck nodes sent again, and their reconnects, from its start until they recovered.
    public var resends: Int
    public var reconnects: Int
    /// Deadlines the router counted as breached from its start until the nodes recovered.
    public var deadlinesBreached: Int
    /// Real seconds from its end until the struck nodes were connected again, with nothing unanswered and nothing
    /// waiting for them at the router; `nil`: not by the end of the run.
    public var recoveredAfterSeconds: Double?
    /// Messages that reached a struck node (any node, for a router crash) later because of it: created before it
    /// ended and acted on only after it ended (for a slow node: after it started, later than its read delay).
    /// `nil` where the run does not record when messages were acted on.
    public var messagesDelayed: Int?
    /// The longest of those delays, creation to acted on, in simulated minutes.
    public var longestDelayMinutes: Double?
    /// For a router crash: what the router recovered from its folder when it started again.
    public var recovered: String?

    /// One line of the timeline.
    public var text: String {
        var parts = [
            String(
                format: "+%.1fs to +%.1fs (%@ to %@) %@",
                startedAtSeconds,
                endedAtSeconds,
                simulatedStart,
                simulatedEnd,
                fault
            )
        ]
        if kind == Fault.Kind.routerCrash.rawValue { parts.append("struck \(struck.count) connected node(s)") }
        parts.append("\(waitingWhenItEnded) message(s) held up when it ended")
        if let messagesDelayed {
            parts.append(
                "\(messagesDelayed) delayed"
                    + (longestDelayMinutes.map { String(format: " (longest %.0f simulated min)", $0) } ?? "")
            )
        }
        parts.append(
            "\(resends) resent, \(reconnects) reconnect(s), \(deadlinesBreached) deadline(s) breached meanwhile"
        )
        parts.append(
            recoveredAfterSeconds.map { String(format: "recovered %.2f s after it ended", $0) }
                ?? "not recovered by the end of the run"
        )
        if let recovered { parts.append("restart recovered: \(recovered)") }
        return parts.joined(separator: "; ")
    }
}
