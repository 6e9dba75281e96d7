import EIXMModel
import Foundation
import Logging

/// What many sessions of one process could not connect, said once instead of by each at every attempt: `eixm load`
/// with 10,000 nodes and a router that is down would otherwise log a warning per node per attempt (374 lines in 10 s
/// for its 34 default nodes). The first failure for each reason is logged at once, with the node and its next
/// attempt; later ones are counted and summed up, per reason, at most once per `interval` (on the next failure
/// after it, so no timer runs). A single node (`eixm node`) logs every attempt itself.
public final class ConnectFailures: Sendable {
    private struct Tally {
        var attempts = 0
        var nodes: Set<NodeID> = []
        var since: ContinuousClock.Instant
    }

    private struct State {
        var tallies: [String: Tally] = [:]
        /// The first reason seen, and how many attempts failed in all.
        var first: String?
        var attempts = 0
    }

    private let logger: Logger
    private let interval: Duration
    private let state = Locked(State())

    public init(logger: Logger, interval: Duration = .seconds(5)) {
        self.logger = logger
        self.interval = interval
    }

    /// The first reason a connection failed, if one did.
    public var firstReason: String? { state.withLock { $0.first } }

    /// How many connection attempts failed, all reasons together.
    public var attempts: Int { state.withLock { $0.attempts } }

    /// A session's attempt failed (before the router's WELCOME) for `reason`; it tries again after `delay`.
    func failed(node: NodeID, reason: String, attempt: Int, nextIn delay: Duration) {
        let now = ContinuousClock.now
        enum Say {
            case first
            case summary(attempts: Int, nodes: Int, seconds: Double)
        }
        let say = state.withLock { state -> Say? in
            state.attempts += 1
            if state.first == nil { state.first = reason }
            guard var tally = state.tallies[reason] else {
                state.tallies[reason] = Tally(since: now)
                return .first
            }
            tally.attempts += 1
            tally.nodes.insert(node)
            defer { state.tallies[reason] = tally }
            guard now - tally.since >= interval else { return nil }
            let summary = Say.summary(
                attempts: tally.attempts,
                nodes: tally.nodes.count,
                seconds: (now - tally.since) / .seconds(1)
            )
            tally = Tally(since: now)
            return summary
        }
        switch say {
        case .first:
            var metadata = Self.attempt(reason: reason, number: attempt, nextIn: delay)
            metadata["node.id"] = "\(node)"
            metadata["further failures"] = "summed up every \(interval.formatted(.units(width: .narrow)))"
            logger.warning("cannot connect to the router", metadata: metadata)
        case .summary(let attempts, let nodes, let seconds):
            logger.warning(
                "cannot connect to the router",
                metadata: [
                    "reason": "\(reason)", "failed attempts": "\(attempts)", "nodes": "\(nodes)",
                    "in": "\(String(format: "%.1f", seconds)) s",
                ]
            )
        case nil:
            break
        }
    }

    /// What the warning about one failed attempt says: why, which attempt, and when the next comes.
    static func attempt(reason: String, number: Int, nextIn delay: Duration) -> Logger.Metadata {
        [
            "reason": "\(reason)", "attempt": "\(number)",
            "next attempt in": "\(delay.formatted(.units(allowed: [.milliseconds], width: .narrow)))",
        ]
    }
}
