import EIXMCharts
import EIXMExercise
import Foundation

extension RunPage {
    /// The after-action report of a load run.
    public init(load report: LoadReport) {
        let series = report.series
        let seconds = "seconds since the traffic started"
        let faultBands = report.faults.map { (from: $0.startedAtSeconds, to: $0.endedAtSeconds, label: $0.fault) }
        func line(_ name: String, _ value: (LoadReport.Second) -> Double) -> LineChart.Series {
            .init(name: name, points: series.map { (Double($0.second), value($0)) })
        }
        let verdict =
            report.thresholds.isEmpty ? "no thresholds set" : report.passed ? "PASSED" : "FAILED"
        title = "Load '\(report.name)' against \(report.router)"
        subtitle =
            "\(report.mode), seed \(report.seed): \(Self.number(Int(report.offeredPerSecond))) msgs/s offered for \(Self.decimal(report.durationSeconds)) s (\(Self.decimal(report.warmupSeconds)) s warm-up), \(report.bodyBytes)-byte bodies; \(verdict)"
        cards = [
            Card(label: "nodes connected", value: "\(report.nodes.connected)/\(report.nodes.configured)"),
            Card(label: "answers/s (measured)", value: Self.decimal(report.answeredPerSecond)),
            Card(label: "deliveries/s (measured)", value: Self.decimal(report.deliveredPerSecond)),
            Card(
                label: "answer p99",
                value: report.answerLatencyMicroseconds["p99"].map { "\(Self.decimal($0 / 1000, 2)) ms" } ?? "-"
            ),
            Card(label: "lost", value: Self.number(report.lost), tone: report.lost > 0 ? "bad" : ""),
            Card(label: "unanswered", value: Self.number(report.unanswered), tone: report.unanswered > 0 ? "bad" : ""),
            Card(label: "verdict", value: verdict, tone: report.passed ? "" : "bad"),
        ]
        var sections: [Section] = []

        var throughput = Section(
            id: "throughput",
            heading: "Throughput",
            intro:
                "What the generator sent and what came back, per second: answers (accepted, rejected) and first deliveries at the recipients; shaded: faults."
        )
        throughput.charts = [
            Self.drawn(
                LineChart(
                    title: "Messages per second",
                    xLabel: seconds,
                    yLabel: "per second",
                    series: [
                        line("sent") { Double($0.sent) }, line("accepted") { Double($0.accepted) },
                        line("rejected") { Double($0.rejected) }, line("delivered") { Double($0.delivered) },
                    ],
                    bands: faultBands
                )
            ),
            Self.drawn(
                LineChart(
                    title: "In flight (sent, not yet answered)",
                    xLabel: seconds,
                    yLabel: "messages",
                    series: [line("in flight") { Double($0.inFlight) }],
                    bands: faultBands
                )
            ),
        ].compactMap { $0 }
        throughput.notes = [
            "Measured window: \(Self.decimal(report.measuredSeconds)) s; \(Self.number(report.measured.sent)) sent, \(Self.number(report.measured.accepted)) accepted, \(Self.number(report.measured.rejected)) rejected, \(Self.number(report.measured.delivered)) delivered."
        ]
        sections.append(throughput)

        var latency = Section(
            id: "latency",
            heading: "Latency",
            intro:
                "From the moment each message was meant to be sent (so a generator or router that falls behind shows) to its answer and to its delivery; per second, then over the measured window."
        )
        latency.charts = [
            Self.drawn(
                LineChart(
                    title: "Latency per second (ms)",
                    xLabel: seconds,
                    yLabel: "milliseconds",
                    series: [
                        line("answer p50", \.answerP50Milliseconds), line("answer p99", \.answerP99Milliseconds),
                        line("delivery p99", \.deliveryP99Milliseconds),
                    ],
                    bands: faultBands
                )
            )
        ].compactMap { $0 }
        let keys = ["p50", "p90", "p99", "p99.9", "max"]
        func milliseconds(_ figures: [String: Double], _ key: String) -> String {
            figures[key].map { "\(Self.decimal($0 / 1000, 2)) ms" } ?? "-"
        }
        latency.table = Table(
            columns: ["Percentile", "Answer", "Delivery", "Generator lag"],
            rows: keys.map { key in
                [
                    key, milliseconds(report.answerLatencyMicroseconds, key),
                    milliseconds(report.deliveryLatencyMicroseconds, key),
                    milliseconds(report.sendLagMicroseconds, key),
                ]
            }
        )
        sections.append(latency)

        var rejections = Section(
            id: "rejections",
            heading: "Rejections by rule",
            intro:
                "Rejections in the measured window under the rule or router check behind them, with what the rule requires and its legal source."
        )
        let rejected = RuleText.rejections(report.rejectionsByRule, title: "Rejections by rule, measured window")
        rejections.charts = [Self.drawn(rejected.chart)].compactMap { $0 }
        if report.rejectionsByRule.isEmpty { rejections.notes = ["No message was rejected."] }
        rejections.table = rejected.table
        sections.append(rejections)

        if !report.thresholds.isEmpty {
            var thresholds = Section(id: "thresholds", heading: "Thresholds", intro: "The limits set for this run.")
            thresholds.table = Table(
                columns: ["Threshold", "Limit", "Measured", "Verdict"],
                rows: report.thresholds.map {
                    [$0.name, Self.decimal($0.limit, 2), Self.decimal($0.value, 2), $0.passed ? "passed" : "FAILED"]
                }
            )
            sections.append(thresholds)
        }

        if let matrix = report.trafficMatrix {
            sections.append(
                Self.traffic(
                    matrix,
                    title: "Messages sent, sender → addressee",
                    intro:
                        "Messages the load's nodes sent, by sender (rows) and addressee (columns), over the whole run; darker is more. Hover a cell for its count."
                )
            )
        }
        if series.contains(where: { $0.offlineQueues != nil }) {
            sections.append(
                Self.offlineQueues(
                    series.map { (Double($0.second), $0.offlineQueues ?? [:]) },
                    bands: faultBands,
                    xLabel: seconds
                )
            )
        } else {
            var queues = Section(id: "queues", heading: "Queues of offline nodes", intro: "")
            queues.notes = [
                "The router ran in another process: its queues are in its own metrics (eixm router --http)."
            ]
            sections.append(queues)
        }
        var deadlines = Section(id: "deadlines", heading: "Deadlines", intro: "")
        deadlines.notes = [
            "A load's nodes do not answer requests: deadlines are measured by an exercise (eixm exercise), whose report has them by class and over time."
        ]
        sections.append(deadlines)
        sections.append(Self.faults(report.faults, end: report.durationSeconds, xLabel: seconds))
        self.sections = sections
        var settings = [
            Setting(name: "Load", value: report.name),
            Setting(name: "Router", value: report.router),
            Setting(name: "Rules mode", value: report.mode),
            Setting(name: "Seed", value: "\(report.seed)"),
            Setting(name: "Offered", value: "\(Self.decimal(report.offeredPerSecond)) msgs/s"),
            Setting(name: "Duration, warm-up", value: "\(report.durationSeconds) s, \(report.warmupSeconds) s"),
            Setting(name: "Body", value: "\(report.bodyBytes) bytes"),
            Setting(
                name: "Signatures",
                value: report.signatures.mode == "batch"
                    ? "batches of at most \(report.signatures.batchMaximum)" : "one per message"
            ),
            Setting(
                name: "Nodes",
                value:
                    "\(report.nodes.configured) configured, \(report.nodes.senders) sending, \(report.nodes.reconnects) reconnect(s), \(report.nodes.resent) resent"
            ),
        ]
        if let router = report.routerSide {
            settings.append(
                Setting(
                    name: "Router (whole run)",
                    value:
                        "\(router.received) received, \(router.accepted) accepted, \(router.rejected) rejected, \(router.deliveries) deliveries, \(router.acknowledged) acknowledged"
                )
            )
        }
        settings.append(
            Setting.treeHead(report.auditTreeHead)
        )
        self.settings = settings
        refreshSeconds = nil
    }
}
