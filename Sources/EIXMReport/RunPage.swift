import EIXMAudit
import EIXMCharts
import Foundation
import Mustache

/// The after-action report of a run as one self-contained HTML page: summary figures, charts (inline SVG), tables
/// and the run's settings; no script, no fetch, readable in any browser or saved as it is. Built from an exercise's
/// or a load run's report (``init(exercise:)``, ``init(load:)``) and rendered with a Mustache template.
public struct RunPage: Sendable {
    /// A headline figure.
    struct Card: Sendable {
        let label: String
        let value: String
        var tone = ""
    }

    /// A table: a header row and rows of cells.
    struct Table: Sendable {
        struct Row: Sendable { let cells: [String] }
        let columns: [String]
        let rows: [Row]

        init(columns: [String], rows: [[String]]) {
            self.columns = columns
            self.rows = rows.map { Row(cells: $0) }
        }
    }

    /// A section of the page: a heading, a sentence on what it shows, charts, notes and a table.
    struct Section: Sendable {
        let id: String
        let heading: String
        let intro: String
        var charts: [String] = []
        var notes: [String] = []
        var table: Table?
    }

    struct Setting: Sendable {
        let name: String
        let value: String

        /// The audit log's last signed tree head of the run, which `eixm audit verify --tree-head` checks against.
        static func treeHead(_ head: AuditTreeHead?) -> Setting {
            Setting(
                name: "Audit log's last tree head",
                value: head.map { "size \($0.treeSize), root \($0.root)" } ?? "not kept"
            )
        }
    }

    var title: String
    var subtitle: String
    var cards: [Card]
    var sections: [Section]
    var settings: [Setting]
    /// Seconds between reloads of the live view; `nil` for the report written at the end.
    var refreshSeconds: Int?

    /// The page's template, parsed once (the live view renders a page a second). It is a constant of this module
    /// and parses; a failure would be a programming error that every test rendering a page reports first.
    private static let template = try! MustacheTemplate(string: RunPageTemplate.text)

    /// The page as HTML.
    public var html: String {
        Self.template.render(self)
    }

    /// The same page for the live view: it says it is live and reloads itself every `seconds`.
    public func live(refreshingEvery seconds: Int) -> RunPage {
        var page = self
        page.refreshSeconds = seconds
        page.subtitle = "Live: " + subtitle
        return page
    }

    /// The live view's page before the run has anything to show.
    public static func waiting(for run: String) -> RunPage {
        RunPage(
            title: "Run '\(run)'",
            subtitle: "Live: waiting for every node to connect; the page fills in once the traffic starts",
            cards: [],
            sections: [],
            settings: [],
            refreshSeconds: 1
        )
    }

    /// A chart's SVG, or `nil` when it has nothing to draw (the page then says so in words instead).
    static func drawn(_ chart: LineChart) -> String? { chart.isEmpty ? nil : chart.svg }
    static func drawn(_ chart: BarChart) -> String? { chart.isEmpty ? nil : chart.svg }
    static func drawn(_ chart: HeatMap) -> String? { chart.isEmpty ? nil : chart.svg }
    static func drawn(_ chart: SpanChart) -> String? { chart.isEmpty ? nil : chart.svg }

    static func number(_ value: Int) -> String {
        value.formatted(.number.grouping(.automatic).locale(.init(identifier: "en_GB")))
    }

    static func decimal(_ value: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", value) }
}
