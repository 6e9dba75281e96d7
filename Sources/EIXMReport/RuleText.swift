import EIXMCharts
import EIXMRules
import EIXMTransport

/// What a rule ID or router check in a report means, and where it comes from.
enum RuleText {
    static func summary(_ id: String) -> String {
        if let rule = RuleID(rawValue: id) { return rule.summary }
        if let check = RouterCheck(rawValue: id) { return check.summary }
        return "not a rule of this version's catalogue"
    }

    static func source(_ id: String) -> String {
        if let rule = RuleID(rawValue: id) { return rule.source }
        if let check = RouterCheck(rawValue: id) { return check.source }
        return "-"
    }

    /// Rejections by rule as a bar chart (largest first, hovering a label shows the rule's text) and a table with
    /// each rule's text and legal source.
    static func rejections(_ counts: [String: Int], title: String) -> (chart: BarChart, table: RunPage.Table) {
        let sorted = ranked(counts)
        let chart = BarChart(
            title: title,
            segments: ["rejections"],
            rows: sorted.map { .init(label: $0.key, values: [Double($0.value)], detail: summary($0.key)) }
        )
        let table = RunPage.Table(
            columns: ["Rule", "Rejections", "What it requires", "Legal source"],
            rows: sorted.map { [$0.key, RunPage.number($0.value), summary($0.key), source($0.key)] }
        )
        return (chart, table)
    }

    /// Counts by rule, largest first, ties by rule ID (so that a page rebuilt from the same report is the same).
    static func ranked(_ counts: [String: Int]) -> [(key: String, value: Int)] {
        counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
    }
}
