import EIXMCharts
import EIXMExercise
import EIXMScenario
import Foundation

extension RunPage {
    /// The after-action report of an exercise.
    public init(exercise report: ExerciseReport) {
        let series = report.series
        let seconds = "seconds since the traffic started"
        let faultBands = report.faults.map { (from: $0.startedAtSeconds, to: $0.endedAtSeconds, label: $0.fault) }
        func line(_ name: String, _ value: (ExerciseReport.Second) -> Int) -> LineChart.Series {
            .init(name: name, points: series.map { (Double($0.second), Double(value($0))) })
        }
        let breached = report.deadlines.breached.values.reduce(0, +)
        title = "Exercise '\(report.name)'"
        subtitle =
            "\(report.mode), seed \(report.seed): \(Self.decimal(report.realSeconds)) s of traffic at x\(Int(report.timeScale)), simulated \(report.simulatedStart) to \(report.simulatedEnd)"
        cards = [
            Card(label: "nodes connected", value: "\(report.nodes.connected.count)/\(report.nodes.configured)"),
            Card(label: "messages received", value: Self.number(report.messages.received)),
            Card(label: "accepted", value: Self.number(report.messages.accepted)),
            Card(label: "rejected", value: Self.number(report.messages.rejected)),
            Card(
                label: "pairs acted on once",
                value: "\(Self.number(report.delivery.actedOn))/\(Self.number(report.delivery.expected))",
                tone: report.delivery.notActedOn > 0 ? "bad" : ""
            ),
            Card(
                label: "deadlines met / breached",
                value: "\(report.deadlines.met.values.reduce(0, +)) / \(breached)",
                tone: breached > 0 ? "bad" : ""
            ),
            Card(label: "faults played", value: "\(report.faults.count)"),
        ]
        if let script = report.script {
            cards.append(
                Card(
                    label: "expected actions met",
                    value: "\(script.count(.met))/\(script.checks.count)",
                    tone: script.count(.met) < script.checks.count ? "bad" : ""
                )
            )
        }
        var sections: [Section] = report.script.map(Self.script) ?? []

        var throughput = Section(
            id: "throughput",
            heading: "Throughput",
            intro:
                "Messages the router received, accepted and rejected, deliveries it sent and receipts it accepted, per second; shaded: faults."
        )
        throughput.charts = [
            Self.drawn(
                LineChart(
                    title: "Messages per second at the router",
                    xLabel: seconds,
                    yLabel: "per second",
                    series: [
                        line("received", \.received), line("accepted", \.accepted), line("rejected", \.rejected),
                        line("delivered", \.delivered), line("acknowledged", \.acknowledged),
                    ],
                    bands: faultBands
                )
            ),
            Self.drawn(
                LineChart(
                    title: "Nodes online and deliveries waiting at the router",
                    xLabel: seconds,
                    yLabel: "count",
                    series: [line("nodes online", \.onlineNodes), line("deliveries waiting", \.waiting)],
                    bands: faultBands
                )
            ),
        ].compactMap { $0 }
        throughput.charts += [
            Self.drawn(
                LineChart(
                    title: "Router latency per second (µs, frame read to answer queued)",
                    xLabel: seconds,
                    yLabel: "microseconds",
                    series: ["p50", "p99", "max"].map { key in
                        .init(
                            name: key,
                            points: series.compactMap { second in
                                second.routerLatencyMicroseconds[key].map { (Double(second.second), $0) }
                            }
                        )
                    },
                    bands: faultBands
                )
            )
        ].compactMap { $0 }
        let latency = ["p50", "p90", "p99", "p99.9", "max"].compactMap { key in
            report.routerLatencyMicroseconds[key].map { [key, "\(Int($0)) µs"] }
        }
        throughput.notes = [
            "Averages: \(Self.decimal(report.acceptedPerSecond)) accepted/s, \(Self.decimal(report.deliveredPerSecond)) delivered/s."
        ]
        throughput.table = Table(columns: ["Router latency (frame read to answer queued)", "Whole run"], rows: latency)
        sections.append(throughput)

        var rejections = Section(
            id: "rejections",
            heading: "Rejections by rule",
            intro:
                "Each rejection under the rule or router check behind it (a message breaking two rules counts under both), with what the rule requires and its legal source."
        )
        let rejected = RuleText.rejections(report.rejectionsByRule, title: "Rejections by rule, whole run")
        let topRules = RuleText.ranked(report.rejectionsByRule).prefix(6).map(\.key)
        rejections.charts = [
            Self.drawn(rejected.chart),
            Self.drawn(
                LineChart(
                    title: "Rejections per second, by rule (the six most frequent)",
                    xLabel: seconds,
                    yLabel: "per second",
                    series: topRules.map { rule in line(rule) { $0.rejectionsByRule[rule] ?? 0 } },
                    bands: faultBands
                )
            ),
        ].compactMap { $0 }
        if report.rejectionsByRule.isEmpty { rejections.notes = ["No message was rejected."] }
        rejections.table = rejected.table
        sections.append(rejections)

        sections.append(Self.deadlines(report, series: series, bands: faultBands, xLabel: seconds))

        sections.append(
            Self.traffic(
                report.trafficMatrix,
                title: "Accepted messages, sender → addressee",
                intro:
                    "Accepted messages by sender (rows) and addressee (columns), as the senders recorded their ACKs; darker is more. Hover a cell for its count."
            )
        )
        sections.append(
            Self.offlineQueues(
                series.map { (Double($0.second), $0.offlineQueues) },
                bands: faultBands,
                xLabel: seconds
            )
        )
        sections.append(Self.faults(report.faults, end: report.realSeconds, xLabel: seconds))
        self.sections = sections
        settings = [
            Setting(name: "Exercise", value: report.name),
            Setting(name: "Rules mode", value: report.mode),
            Setting(name: "Seed", value: "\(report.seed)"),
            Setting(name: "Time scale", value: "x\(Int(report.timeScale))"),
            Setting(name: "Traffic (real)", value: "\(Self.decimal(report.realSeconds)) s"),
            Setting(name: "Simulated time", value: "\(report.simulatedStart) to \(report.simulatedEnd)"),
            Setting(name: "Nodes configured", value: "\(report.nodes.configured)"),
            Setting(
                name: "Never connected",
                value: report.nodes.neverConnected.isEmpty
                    ? "none" : report.nodes.neverConnected.joined(separator: ", ")
            ),
            Setting(
                name: "Faults",
                value: report.faults.isEmpty ? "none" : report.faults.map(\.fault).joined(separator: "; ")
            ),
            Setting.treeHead(report.auditTreeHead),
        ]
        refreshSeconds = nil
    }

    /// Deadline outcomes by class and over time.
    static func deadlines(
        _ report: ExerciseReport,
        series: [ExerciseReport.Second],
        bands: [(from: Double, to: Double, label: String)],
        xLabel: String
    ) -> Section {
        var section = Section(
            id: "deadlines",
            heading: "Deadlines",
            intro:
                "Requests answered in time (met), too late or never (breached), still running at the end (open), by deadline rule; then per second."
        )
        let deadlines = report.deadlines
        let classes = Set(deadlines.met.keys).union(deadlines.breached.keys).union(deadlines.open.keys).sorted()
        section.charts = [
            drawn(
                BarChart(
                    title: "Deadline outcomes by class",
                    segments: ["met", "breached", "open"],
                    rows: classes.map { rule in
                        .init(
                            label: rule,
                            values: [
                                Double(deadlines.met[rule] ?? 0), Double(deadlines.breached[rule] ?? 0),
                                Double(deadlines.open[rule] ?? 0),
                            ],
                            detail: RuleText.summary(rule)
                        )
                    }
                )
            ),
            drawn(
                LineChart(
                    title: "Deadlines met and breached per second, requests open",
                    xLabel: xLabel,
                    yLabel: "count",
                    series: [
                        .init(name: "met /s", points: series.map { (Double($0.second), Double($0.deadlinesMet)) }),
                        .init(
                            name: "breached /s",
                            points: series.map { (Double($0.second), Double($0.deadlinesBreached)) }
                        ),
                        .init(name: "open", points: series.map { (Double($0.second), Double($0.deadlinesOpen)) }),
                    ],
                    bands: bands
                )
            ),
        ].compactMap { $0 }
        section.table = Table(
            columns: ["Rule", "Met", "Breached", "Open", "What it requires"],
            rows: classes.map { rule in
                [
                    rule, "\(deadlines.met[rule] ?? 0)", "\(deadlines.breached[rule] ?? 0)",
                    "\(deadlines.open[rule] ?? 0)",
                    RuleText.summary(rule),
                ]
            }
        )
        section.notes = ["Extended for judicial authorisation (DL-05): \(deadlines.extended)."]
        return section
    }

    /// The fault timeline: when each fault struck, for how long, and when its nodes recovered.
    static func faults(_ faults: [FaultOutcome], end: Double, xLabel: String) -> Section {
        var section = Section(
            id: "faults",
            heading: "Faults",
            intro:
                "Each fault played on purpose: when it struck and for how long (bar), when the nodes it struck were connected again with nothing unanswered or waiting (green tick)."
        )
        section.charts = [
            drawn(
                SpanChart(
                    title: "Fault timeline",
                    xLabel: xLabel,
                    spans: faults.map { fault in
                        .init(
                            label: ([fault.kind] + fault.nodes).joined(separator: " "),
                            from: fault.startedAtSeconds,
                            to: fault.endedAtSeconds,
                            marker: fault.recoveredAfterSeconds.map { fault.endedAtSeconds + $0 },
                            detail: fault.text
                        )
                    },
                    end: end
                )
            )
        ].compactMap { $0 }
        if faults.isEmpty {
            section.notes = ["No fault was played."]
        } else {
            section.table = Table(
                columns: ["Fault", "What it did and cost"],
                rows: faults.map { [$0.fault, $0.text] }
            )
        }
        return section
    }

    /// The traffic matrix as a heat map, senders by addressees.
    static func traffic(_ matrix: [String: [String: Int]], title: String, intro: String) -> Section {
        var section = Section(id: "traffic", heading: "Traffic between nodes", intro: intro)
        let senders = matrix.keys.sorted()
        let addressees = Set(matrix.values.flatMap(\.keys)).sorted()
        section.charts = [
            drawn(
                HeatMap(
                    title: title,
                    rowLabel: "sender",
                    columnLabel: "addressee",
                    rows: senders,
                    columns: addressees,
                    values: senders.map { sender in addressees.map { Double(matrix[sender]?[$0] ?? 0) } }
                )
            )
        ].compactMap { $0 }
        if section.charts.isEmpty { section.notes = ["No message in the matrix."] }
        return section
    }

    /// The deliveries the router kept for offline nodes, per second: the eight deepest queues.
    static func offlineQueues(
        _ rows: [(second: Double, queues: [String: Int])],
        bands: [(from: Double, to: Double, label: String)],
        xLabel: String
    ) -> Section {
        var section = Section(
            id: "queues",
            heading: "Queues of offline nodes",
            intro: "Deliveries the router kept for each node while it was offline, per second (the eight deepest)."
        )
        let deepest = Set(rows.flatMap(\.queues.keys)).sorted { left, right in
            let a = rows.map { $0.queues[left] ?? 0 }.max() ?? 0
            let b = rows.map { $0.queues[right] ?? 0 }.max() ?? 0
            return a != b ? a > b : left < right
        }.prefix(8)
        section.charts = [
            drawn(
                LineChart(
                    title: "Deliveries waiting for offline nodes",
                    xLabel: xLabel,
                    yLabel: "deliveries",
                    series: deepest.map { node in
                        .init(name: node, points: rows.map { ($0.second, Double($0.queues[node] ?? 0)) })
                    },
                    bands: bands
                )
            )
        ].compactMap { $0 }
        if section.charts.isEmpty { section.notes = ["No node was offline with deliveries waiting for it."] }
        return section
    }
}
