import EIXMModel
import EIXMRules
import Foundation

/// One entry of a scenario's Master Scenario Events List: at a simulated time (an offset from the exercise's start)
/// a node sends a message, or something happens to the exercise (a node goes offline, a certificate is revoked, the
/// policy mode changes). A message inject says what the players are expected to do about it.
public struct Inject: Sendable, Hashable {
    /// What happens.
    public enum Action: Sendable, Hashable {
        /// A node sends a message: the header as written (its `id`, `sender` and `created_at` are set when it is
        /// sent), a body, and perhaps the inject whose message it answers (`in_reply_to` is then that message's ID).
        case send(from: NodeID, header: Header, body: String, answering: String?)
        /// A node loses its connection to the router for a while (simulated milliseconds), then reconnects.
        case offline(node: NodeID, milliseconds: Int64)
        /// A node's certificate is revoked: its connection is closed and every new one refused.
        case revoke(node: NodeID)
        /// The router's policy mode changes (e.g. SIENA becomes mandatory).
        case mode(PolicyMode)
    }

    /// The inject's name in the scenario (`id:`), used in reports.
    public let name: String
    /// Simulated milliseconds after the exercise's start.
    public let atMilliseconds: Int64
    /// What a planner wrote about it.
    public let description: String
    public let action: Action
    /// What the players are expected to do; empty for an event.
    public let expectation: Expectation
    /// Where the inject is written (1-based line and column; 0 when built in code).
    public let place: Place

    public init(
        name: String,
        atMilliseconds: Int64,
        description: String = "",
        action: Action,
        expectation: Expectation = Expectation(),
        place: Place = Place()
    ) {
        self.name = name
        self.atMilliseconds = atMilliseconds
        self.description = description
        self.action = action
        self.expectation = expectation
        self.place = place
    }

    /// The message the inject sends, if it sends one.
    public var message: (from: NodeID, header: Header)? {
        if case .send(let from, let header, _, _) = action { return (from, header) }
        return nil
    }

    /// When it happens in an exercise that starts at `start`.
    public func time(from start: Timestamp) -> Timestamp {
        Timestamp(millisecondsSinceEpoch: start.millisecondsSinceEpoch + atMilliseconds)
    }

    /// Its time from the start, for people: `0s`, `90m`, `2h`.
    public var atText: String { atMilliseconds == 0 ? "0s" : DurationText.text(milliseconds: atMilliseconds) }

    /// A sentence for reports: what the inject does.
    public var summary: String {
        switch action {
        case .send(let from, let header, _, let answering):
            let to = header.recipients.map(\.rawValue).joined(separator: ", ")
            let about = answering.map { " answering \($0)" } ?? ""
            return "\(from) sends a \(header.messageType.rawValue) on \(header.channel.rawValue) to \(to)\(about)"
        case .offline(let node, let milliseconds):
            return "\(node) goes offline for \(DurationText.text(milliseconds: milliseconds))"
        case .revoke(let node):
            return "\(node)'s certificate is revoked"
        case .mode(let mode):
            return "the policy mode becomes \(mode.rawValue)"
        }
    }
}

/// A position in a scenario file.
public struct Place: Sendable, Hashable {
    public let line: Int
    public let column: Int

    public init(line: Int = 0, column: Int = 0) {
        self.line = line
        self.column = column
    }
}
