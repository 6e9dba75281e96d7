import EIXMAudit
import EIXMModel
import EIXMNodes
import EIXMRouter
import EIXMScenario
import Foundation

/// What an exercise did, for a planner: who was connected, what was accepted and rejected (by rule), whether every
/// accepted message reached each addressee once, how deadlines went, throughput and router latency.
public struct ExerciseReport: Codable, Sendable {
    public struct Nodes: Codable, Sendable {
        public var configured: Int
        public var connected: [String]
        public var neverConnected: [String]
        public var offlineAtEnd: [String]
    }

    public struct Messages: Codable, Sendable {
        public var received: Int
        public var accepted: Int
        public var rejected: Int
        public var delivered: Int
        public var acknowledged: Int
        public var copies: Int
        public var waitingAtEnd: Int
    }

    public struct Delivery: Codable, Sendable {
        /// (message, recipient) pairs the router accepted for delivery, copies included.
        public var expected: Int
        /// Of those, the pairs whose recipient acted on the message.
        public var actedOn: Int
        /// Pairs not acted on by the end (recipient offline, or in flight when the exercise stopped).
        public var notActedOn: Int
        /// Deliveries received again (at least once) and suppressed by message ID.
        public var duplicatesSuppressed: Int
        /// Acts on a message beyond the first by the same recipient, by the recipients' own record of each act (across
        /// a crash too): 0 when each node acts on a message ID once.
        public var actedOnTwice: Int
        /// Copies and notifications the rules address to nodes the exercise leaves out (the SPOC of an affected
        /// state that does not take part): kept by the router for a node that never comes, and not expected.
        public var keptForAbsentNodes: Int
    }

    public struct Deadlines: Codable, Sendable {
        public var met: [String: Int]
        public var breached: [String: Int]
        public var open: [String: Int]
        public var extended: Int
    }

    public var name: String
    public var seed: UInt64
    public var timeScale: Double
    public var realSeconds: Double
    public var simulatedStart: String
    public var simulatedEnd: String
    public var mode: String
    public var nodes: Nodes
    public var messages: Messages
    public var acceptedByChannelAndType: [String: Int]
    public var rejectionsByRule: [String: Int]
    public var obligations: [String: Int]
    public var delivery: Delivery
    public var deadlines: Deadlines
    public var acceptedPerSecond: Double
    public var deliveredPerSecond: Double
    public var routerLatencyMicroseconds: [String: Double]
    public var refusedConnections: Int
    public var perNode: [String: NodeSummary]
    /// The faults played on purpose, in the order planned: when each happened and what it cost.
    public var faults: [FaultOutcome] = []
    /// What the router recovered from its folder at each restart after a crash.
    public var routerRestarts: [String] = []
    /// The router's last signed tree head of the audit log (its closing checkpoint), as in the run folder's
    /// `tree-head.json`: `eixm audit verify --tree-head report.json` checks a log against it.
    public var auditTreeHead: AuditTreeHead?
    /// Accepted messages by sender and addressee, as the senders recorded their ACKs.
    public var trafficMatrix: [String: [String: Int]] = [:]
    /// The run second by second from the start of the traffic (`series.csv` holds the same, without the tables).
    public var series: [Second] = []
    /// A scripted exercise's score: each inject with its expected actions, met or not, and each node's play, from the
    /// audit log (`eixm audit score` gives the same from the run folder).
    public var script: ScriptScore?

    /// One second of the run at the router: what happened during it and where things stood at its end.
    public struct Second: Codable, Sendable {
        /// Seconds since the traffic started (the second ending at this mark).
        public var second: Int
        /// Wall-clock and simulated time at its end (RFC 3339).
        public var wallClock: String
        public var simulatedTime: String
        public var received: Int
        public var accepted: Int
        public var rejected: Int
        public var delivered: Int
        public var acknowledged: Int
        public var deadlinesMet: Int
        public var deadlinesBreached: Int
        /// At its end: requests with a running deadline, nodes online, deliveries waiting at the router.
        public var deadlinesOpen: Int
        public var onlineNodes: Int
        public var waiting: Int
        /// Rejections during the second by rule.
        public var rejectionsByRule: [String: Int]
        /// Deliveries waiting at its end for each node that was offline then.
        public var offlineQueues: [String: Int]
        /// The router's latency during the second (frame read to answer queued), microseconds: p50, p90, p99, p99.9,
        /// max; empty when it routed nothing.
        public var routerLatencyMicroseconds: [String: Double] = [:]

        /// The second from two snapshots of the router's counts a second apart.
        init(
            second: Int,
            wallClock: Date,
            simulatedTime: Timestamp,
            now: RouterStatistics,
            previous: RouterStatistics
        ) {
            func sum(_ counts: [String: Int]) -> Int { counts.values.reduce(0, +) }
            self.second = second
            self.wallClock = Timestamp(wallClock).rfc3339
            self.simulatedTime = simulatedTime.rfc3339
            received = now.received - previous.received
            accepted = now.accepted - previous.accepted
            rejected = now.rejected - previous.rejected
            delivered = now.delivered - previous.delivered
            acknowledged = now.acknowledged - previous.acknowledged
            deadlinesMet = sum(now.deadlinesMet) - sum(previous.deadlinesMet)
            deadlinesBreached = sum(now.deadlinesBreached) - sum(previous.deadlinesBreached)
            deadlinesOpen = sum(now.deadlinesOpen)
            onlineNodes = now.onlineNodes.count
            waiting = now.queueDepths.values.reduce(0, +)
            rejectionsByRule = now.rejectionsByRule.reduce(into: [:]) { out, entry in
                let during = entry.value - (previous.rejectionsByRule[entry.key] ?? 0)
                if during > 0 { out[entry.key] = during }
            }
            offlineQueues = now.queueDepths.reduce(into: [:]) { out, entry in
                if !now.onlineNodes.contains(entry.key), entry.value > 0 { out[entry.key.rawValue] = entry.value }
            }
        }
    }

    /// The series as CSV, with a header line: counts during each second, levels at its end.
    public var csv: String {
        var lines = [
            "second,wall_clock,simulated_time,received,accepted,rejected,delivered,acknowledged,deadlines_met,deadlines_breached,deadlines_open,online_nodes,waiting,offline_waiting,router_p50_us,router_p99_us"
        ]
        for s in series {
            lines.append(
                "\(s.second),\(s.wallClock),\(s.simulatedTime),\(s.received),\(s.accepted),\(s.rejected),\(s.delivered),\(s.acknowledged),\(s.deadlinesMet),\(s.deadlinesBreached),\(s.deadlinesOpen),\(s.onlineNodes),\(s.waiting),\(s.offlineQueues.values.reduce(0, +)),\(Self.micros(s.routerLatencyMicroseconds["p50"])),\(Self.micros(s.routerLatencyMicroseconds["p99"]))"
            )
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A latency figure for the CSV: whole microseconds, empty when the router routed nothing in the second.
    private static func micros(_ value: Double?) -> String { value.map { "\(Int($0))" } ?? "" }

    public struct NodeSummary: Codable, Sendable {
        public var sent: Int
        public var accepted: Int
        public var rejected: Int
        public var received: Int
        public var answered: Int
        public var answeredInTime: Int
        public var answeredLate: Int
        public var requestsSent: Int
        public var answersReceived: Int
        public var connections: Int
    }

    /// The report as pretty JSON with sorted keys.
    public func json() throws -> Data { try reportJSON() }

    /// The report for the terminal.
    public var text: String {
        func table(_ counts: [String: Int]) -> String {
            counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                .map { "    \($0.key.padding(toLength: 28, withPad: " ", startingAt: 0)) \($0.value)" }.joined(
                    separator: "\n"
                )
        }
        var lines: [String] = []
        lines.append(
            "Exercise '\(name)' (seed \(seed), \(mode)): \(String(format: "%.1f", realSeconds)) s real, \(simulatedStart) to \(simulatedEnd) simulated (x\(Int(timeScale)))"
        )
        lines.append(
            "Nodes: \(nodes.connected.count)/\(nodes.configured) connected"
                + (nodes.neverConnected.isEmpty
                    ? "" : "; never connected: \(nodes.neverConnected.joined(separator: ", "))")
                + (nodes.offlineAtEnd.isEmpty
                    ? "" : "; offline at the end: \(nodes.offlineAtEnd.joined(separator: ", "))")
        )
        lines.append(
            "Messages: \(messages.received) received, \(messages.accepted) accepted, \(messages.rejected) rejected; \(messages.delivered) delivered (\(messages.copies) copies by rule), \(messages.acknowledged) acknowledged, \(messages.waitingAtEnd) waiting at the end"
        )
        lines.append(
            "Delivery: \(delivery.actedOn)/\(delivery.expected) (message, recipient) pairs acted on once; \(delivery.notActedOn) not acted on; \(delivery.duplicatesSuppressed) redeliveries suppressed; acted on twice: \(delivery.actedOnTwice)"
                + (delivery.keptForAbsentNodes > 0
                    ? "; \(delivery.keptForAbsentNodes) kept for nodes not in the exercise" : "")
        )
        lines.append("Accepted by channel and type:\n" + table(acceptedByChannelAndType))
        lines.append("Rejections by rule:\n" + (rejectionsByRule.isEmpty ? "    none" : table(rejectionsByRule)))
        let classes = Set(deadlines.met.keys).union(deadlines.breached.keys).union(deadlines.open.keys).sorted()
        lines.append("Deadlines (met / breached / still open):")
        for rule in classes {
            lines.append(
                "    \(rule)  \(deadlines.met[rule] ?? 0) / \(deadlines.breached[rule] ?? 0) / \(deadlines.open[rule] ?? 0)"
            )
        }
        lines.append("    extended for judicial authorisation (DL-05): \(deadlines.extended)")
        let summaries = perNode.values
        lines.append(
            "Nodes' view: \(summaries.reduce(0) { $0 + $1.answeredInTime }) answers in time, \(summaries.reduce(0) { $0 + $1.answeredLate }) late; "
                + "\(summaries.reduce(0) { $0 + $1.answersReceived }) of \(summaries.reduce(0) { $0 + $1.requestsSent }) requests sent were answered"
        )
        lines.append(
            String(format: "Throughput: %.1f accepted/s, %.1f delivered/s", acceptedPerSecond, deliveredPerSecond)
        )
        let latency = ["p50", "p90", "p99", "p99.9", "max"].compactMap { key in
            routerLatencyMicroseconds[key].map { "\(key) \(Int($0)) µs" }
        }
        lines.append("Router latency: " + (latency.isEmpty ? "no messages" : latency.joined(separator: ", ")))
        if refusedConnections > 0 { lines.append("Refused connections: \(refusedConnections)") }
        if !faults.isEmpty {
            lines.append("Faults (real seconds after the start of the traffic):")
            for fault in faults { lines.append("    " + fault.text) }
        }
        if let script { lines.append(script.text) }
        return lines.joined(separator: "\n")
    }
}
