import EIXMCharts
import EIXMScenario
import Foundation

extension RunPage {
    /// A scripted exercise's score: every inject with its expected actions (met, late, not met, with the audit
    /// records that show it), then each node's play and what the storyline teaches.
    static func script(_ score: ScriptScore) -> [Section] {
        var injects = Section(
            id: "injects",
            heading: "Injects and expected actions",
            intro:
                "Each inject of the scenario, what the players were expected to do about it and what the audit log shows; the numbers are the audit records' sequence numbers (seq; eixm audit query RUN --message ID lists a message's records with theirs)."
        )
        injects.charts = [
            drawn(
                BarChart(
                    title: "Expected actions by inject",
                    segments: ["met", "late", "not met"],
                    rows: score.injects.filter { !$0.checks.isEmpty }.map { inject in
                        .init(
                            label: inject.name,
                            values: [ScriptScore.Outcome.met, .late, .notMet].map { outcome in
                                Double(inject.checks.filter { $0.outcome == outcome }.count)
                            },
                            detail: inject.summary
                        )
                    }
                )
            )
        ].compactMap { $0 }
        injects.table = Table(
            columns: ["Inject", "At", "What happens", "Expected", "Outcome", "What the log shows", "Records"],
            rows: score.injects.flatMap { inject in
                var what = inject.description.isEmpty ? inject.summary : "\(inject.summary). \(inject.description)"
                if let id = inject.messageId { what += " (message \(id))" }
                guard !inject.checks.isEmpty else { return [[inject.name, "+\(inject.at)", what, "-", "-", "-", ""]] }
                return inject.checks.enumerated().map { index, check in
                    [
                        index == 0 ? inject.name : "", index == 0 ? "+\(inject.at)" : "", index == 0 ? what : "",
                        check.expected, check.outcome.label, check.observed,
                        check.records.map(String.init).joined(separator: ", "),
                    ]
                }
            }
        )
        var players = Section(
            id: "players",
            heading: "Players",
            intro:
                "Each node over the whole run (its scripted and its own traffic): messages the router accepted and rejected by rule, copies the rules made of them, and requests to it answered within their deadline or not, by deadline class."
        )
        players.table = Table(
            columns: [
                "Node", "Sent", "Accepted", "Rejected", "Compliance", "Copies made", "Deadlines met", "Breached",
                "Rejections by rule",
            ],
            rows: score.nodes.map { node in
                [
                    node.node, "\(node.sent)", "\(node.accepted)", "\(node.rejected)",
                    node.compliance.map { String(format: "%.0f%%", $0 * 100) } ?? "-",
                    "\(node.copiesMade.values.reduce(0, +))",
                    "\(node.answersInTime)", "\(node.answersLate)",
                    node.rejectionsByRule.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(
                        separator: ", "
                    ),
                ]
            }
        )
        players.notes = score.lessons.map { "A planner learns: \($0)" }
        return [injects, players]
    }
}
