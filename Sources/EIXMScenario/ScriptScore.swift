import Foundation

/// A scripted exercise scored from its audit log: every inject with its expected actions and what happened (with
/// the audit records' sequence numbers), and each node's record over the whole run. The same log and scenario always
/// give the same score, whether the exercise computes it at its end or `eixm audit score` does later.
public struct ScriptScore: Codable, Sendable, Equatable {
    public enum Outcome: String, Codable, Sendable {
        case met
        case notMet = "not_met"
        case late
    }

    /// One expected action and what the log shows of it.
    public struct Check: Codable, Sendable, Equatable {
        public var expected: String
        public var outcome: Outcome
        public var observed: String
        /// The audit records that show it (sequence numbers).
        public var records: [UInt64]
    }

    public struct InjectScore: Codable, Sendable, Equatable {
        public var name: String
        /// Simulated time from the start, e.g. `2h`.
        public var at: String
        public var summary: String
        public var description: String
        /// The message the inject sent, as the router received it; `nil` for an event or a message never received.
        public var messageId: String?
        /// When the router received it (simulated), for a message.
        public var receivedAt: String?
        public var checks: [Check]
    }

    public struct DeadlineCount: Codable, Sendable, Equatable {
        public var met: Int
        public var breached: Int

        public init(met: Int = 0, breached: Int = 0) {
            self.met = met
            self.breached = breached
        }
    }

    /// One node's play over the whole run (its scripted and its own traffic).
    public struct NodeScore: Codable, Sendable, Equatable {
        public var node: String
        /// Messages it sent that the router received, accepted, rejected.
        public var sent = 0
        public var accepted = 0
        public var rejected = 0
        public var rejectionsByRule: [String: Int] = [:]
        /// Copies and notifications the rules made of its accepted messages, by rule.
        public var copiesMade: [String: Int] = [:]
        /// Requests to it answered within their deadline, and not (breached), by deadline rule.
        public var deadlinesByClass: [String: DeadlineCount] = [:]
        public var answersInTime: Int { deadlinesByClass.values.reduce(0) { $0 + $1.met } }
        public var answersLate: Int { deadlinesByClass.values.reduce(0) { $0 + $1.breached } }
        /// Share of its messages the router accepted (`nil` when it sent none).
        public var compliance: Double? { sent > 0 ? Double(accepted) / Double(sent) : nil }

        enum CodingKeys: String, CodingKey {
            case node, sent, accepted, rejected, rejectionsByRule, copiesMade, deadlinesByClass
        }
    }

    public var scenario: String
    public var injects: [InjectScore]
    public var nodes: [NodeScore]
    /// What a planner learns from the storyline (the scenario's `lessons:`).
    public var lessons: [String]

    public var checks: [Check] { injects.flatMap(\.checks) }
    public func count(_ outcome: Outcome) -> Int { checks.filter { $0.outcome == outcome }.count }

    /// The score as text, for the terminal.
    public var text: String {
        var lines = [
            "Injects of '\(scenario)': \(checks.count) expected action(s): \(count(.met)) met, \(count(.late)) late, \(count(.notMet)) not met"
        ]
        for inject in injects {
            let when = inject.receivedAt.map { ", received \($0)" } ?? ""
            lines.append("  \(inject.name) at +\(inject.at): \(inject.summary)\(when)")
            if !inject.description.isEmpty { lines.append("    \(inject.description)") }
            for check in inject.checks {
                let seqs =
                    check.records.isEmpty ? "" : " [records \(check.records.map(String.init).joined(separator: ", "))]"
                lines.append(
                    "    \(check.outcome.label.padding(toLength: 7, withPad: " ", startingAt: 0)) \(check.expected): \(check.observed)\(seqs)"
                )
            }
        }
        lines.append("Players (whole run):")
        lines.append(
            "  node          sent  accepted  rejected  compliance  copies  answered in time  late  rejections by rule"
        )
        for node in nodes {
            let compliance = node.compliance.map { String(format: "%.0f%%", $0 * 100) } ?? "-"
            let rejections = node.rejectionsByRule.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
            lines.append(
                "  \(node.node.padding(toLength: 12, withPad: " ", startingAt: 0)) \(pad(node.sent, 5))  \(pad(node.accepted, 8))  \(pad(node.rejected, 8))  \(pad(compliance, 10))  \(pad(node.copiesMade.values.reduce(0, +), 6))  \(pad(node.answersInTime, 16))  \(pad(node.answersLate, 4))  \(rejections.isEmpty ? "-" : rejections.joined(separator: ", "))"
            )
        }
        let classes = Set(nodes.flatMap(\.deadlinesByClass.keys)).sorted()
        if !classes.isEmpty {
            lines.append("Deadlines by class (met / breached):")
            for rule in classes {
                let met = nodes.reduce(0) { $0 + ($1.deadlinesByClass[rule]?.met ?? 0) }
                let breached = nodes.reduce(0) { $0 + ($1.deadlinesByClass[rule]?.breached ?? 0) }
                lines.append("  \(rule): \(met) / \(breached)")
            }
        }
        if !lessons.isEmpty {
            lines.append("What a planner learns from it:")
            lines += lessons.map { "  - \($0)" }
        }
        return lines.joined(separator: "\n")
    }

    private func pad(_ value: some CustomStringConvertible, _ width: Int) -> String {
        let text = value.description
        return String(repeating: " ", count: max(0, width - text.count)) + text
    }
}

extension ScriptScore.Outcome {
    public var label: String {
        switch self {
        case .met: "met"
        case .notMet: "NOT MET"
        case .late: "LATE"
        }
    }
}
