import EIXMAudit
import EIXMModel
import Foundation
import Histogram

/// What a load run measured, for an operator sizing a hub: the offered and achieved rates, latencies from the
/// intended send time, what the router refused and by which rule, what was lost, and whether the thresholds held.
public struct LoadReport: Codable, Sendable {
    /// The router's last signed tree head of the audit log, when the router ran in this process (see
    /// ``ExerciseReport/auditTreeHead``).
    public var auditTreeHead: AuditTreeHead?
    public var name: String
    public var seed: UInt64
    public var mode: String
    /// "in-process 127.0.0.1:PORT" or the address of the router under load.
    public var router: String
    public var nodes: Nodes
    public var offeredPerSecond: Double
    public var durationSeconds: Double
    public var warmupSeconds: Double
    /// Seconds of the measured window (after the warm-up; shorter if the run was stopped early).
    public var measuredSeconds: Double
    public var bodyBytes: Int
    /// How the nodes signed, and what verifying cost the router and the recipients.
    public var signatures: Signatures
    /// Messages meant to be sent inside the measured window, and what became of them.
    public var measured: Counts
    public var rejectionsByRule: [String: Int]
    /// Answers (ACK or NACK) and deliveries received per second during the measured window.
    public var answeredPerSecond: Double
    public var deliveredPerSecond: Double
    /// Accepted messages per second as a multiple of SIENA's 2023 average (about 200 messages an hour).
    public var sienaMultiple: Double
    /// Latencies in microseconds from the time each message was meant to be sent: to the router's answer, to its
    /// delivery to each recipient; and how late the generator sent.
    public var answerLatencyMicroseconds: [String: Double]
    public var deliveryLatencyMicroseconds: [String: Double]
    public var sendLagMicroseconds: [String: Double]
    /// The router's own figures, when it ran in this process.
    public var routerSide: RouterSide?
    /// Over the whole run: deliveries received once by their recipients, and received again.
    public var deliveriesReceived: Int
    public var duplicateDeliveries: Int
    /// Messages sent that the router had not answered when the run ended.
    public var unanswered: Int
    /// Messages the router answered ACCEPTED that had not reached every addressee when the run ended, by the
    /// senders' and the recipients' own records.
    public var lost: Int
    /// Messages refused as DUPLICATE although new (their ID was known to the router): never PASSED with `--max-lost`.
    public var refusedAsDuplicate: Int
    /// Messages the traffic mix made that could not be sealed (invalid headers), and so were not sent.
    public var unsealable: Int
    /// The thresholds asked for (`nil` fields: not set), and each one judged.
    public var limits: LoadConfiguration.Thresholds
    public var thresholds: [Threshold]
    public var passed: Bool
    public var series: [Second]
    /// The faults played on purpose (`--fault`), in the order planned: when each happened and what it cost.
    public var faults: [FaultOutcome] = []
    /// With `--shard K/M`: what `eixm load merge` needs to make one report of the M processes' reports.
    public var shardData: ShardData?
    /// Messages sent over the whole run, by sender and addressee (`{sender: {addressee: count}}`).
    public var trafficMatrix: [String: [String: Int]]? = nil

    public struct Nodes: Codable, Sendable {
        public var configured: Int
        /// Nodes welcomed by the router before the traffic started, and nodes connected when the run ended.
        public var connected: Int
        public var connectedAtEnd: Int
        public var senders: Int
        /// Connections made again after one was lost, all nodes together.
        public var reconnects: Int
        /// Messages sent again after a reconnect because the router had not answered them.
        public var resent: Int
        /// Seconds the nodes spent without a connection to the router after having had one, added over the nodes.
        public var secondsWithoutRouter: Double
        /// Seconds from the start until every node was welcomed (or the wait ended): the connect storm.
        public var secondsToConnect: Double
        /// When no node was connected, at the start of the traffic or at its end: why the first attempt failed (in
        /// words, e.g. "cannot connect to 127.0.0.1:9: connection refused"). Such a run fails, thresholds or not.
        public var unreachable: String? = nil
    }

    public struct Counts: Codable, Sendable {
        public var sent: Int
        public var accepted: Int
        public var rejected: Int
        public var delivered: Int
    }

    /// Signing and verifying: in batch mode each verifier checks a batch's root signature once (then only the
    /// envelope's path), so these counts say how many Ed25519 verifications batching saved.
    public struct Signatures: Codable, Sendable {
        /// `per_message` or `batch`.
        public var mode: String
        public var batchMaximum: Int
        /// Root signatures the router checked (a router started here only; batch mode).
        public var routerRootVerifications: Int?
        /// Receipt root signatures the router checked, and the batch-signed receipts it checked (a router started
        /// here only; batch mode).
        public var routerReceiptRootVerifications: Int?
        public var routerReceiptsChecked: Int?
        /// The writes the router's deliveries went out in, one per recipient per commit (a router started here
        /// only): what recipients would verify were the router to attest each write.
        public var routerDeliveryWrites: Int?
        /// Root signatures the recipients checked, all recipients together (each has its own cache; batch mode).
        public var recipientRootVerifications: Int
        /// Batch envelopes the recipients checked against a root they had already verified.
        public var recipientRootHits: Int
    }

    public struct RouterSide: Codable, Sendable {
        public var received: Int
        public var accepted: Int
        public var rejected: Int
        /// Delivery frames the router sent (again after a reconnect included), copies by rule included.
        public var deliveries: Int
        public var acknowledged: Int
        public var latencyMicroseconds: [String: Double]
    }

    /// One load process's part of a sharded run: its histograms (which add up) and, by message ID, the accepted
    /// messages still missing addressees at its end and the other processes' messages its nodes received.
    public struct ShardData: Codable, Sendable {
        public var shard: LoadShard
        public var answerLatency: Histogram<UInt64>
        public var deliveryLatency: Histogram<UInt64>
        public var sendLag: Histogram<UInt64>
        public var answeredInWindow: Int
        public var deliveredInWindow: Int
        /// Message ID -> node IDs.
        public var missing: [String: [String]]
        public var received: [String: [String]]

        static func pairs(_ entries: [UUID: Set<NodeID>]) -> [String: [String]] {
            Dictionary(uniqueKeysWithValues: entries.map { ($0.key.uuidString, $0.value.map(\.rawValue).sorted()) })
        }
    }

    /// The thresholds judged: each one set in `limits`, with its value.
    static func judge(
        _ limits: LoadConfiguration.Thresholds,
        answered: Int,
        answerLatency: Histogram<UInt64>,
        answeredShare: Double,
        missing: Int
    ) -> [Threshold] {
        var thresholds: [Threshold] = []
        if let limit = limits.maxP99Milliseconds {
            let p99 = Double(answerLatency.valueAtPercentile(99)) / 1000
            thresholds.append(
                .init(name: "answer p99 (ms, at most)", limit: limit, value: p99, passed: answered > 0 && p99 <= limit)
            )
        }
        if let share = limits.minThroughputShare {
            thresholds.append(
                .init(
                    name: "answered share of offered (at least)",
                    limit: share,
                    value: answeredShare,
                    passed: answeredShare >= share
                )
            )
        }
        // Unanswered messages count too: nobody can say whether they were stored; and so do new messages refused as
        // duplicates: they were never judged. A run in which nothing was answered (no node connected, say) lost
        // nothing only because it measured nothing: it does not pass.
        if let limit = limits.maxLost {
            thresholds.append(
                .init(
                    name: "lost, unanswered or refused-as-duplicate messages (at most)",
                    limit: Double(limit),
                    value: Double(missing),
                    passed: answered > 0 && missing <= limit
                )
            )
        }
        return thresholds
    }

    public struct Threshold: Codable, Sendable {
        public var name: String
        public var limit: Double
        public var value: Double
        public var passed: Bool
    }

    /// One second of the run.
    public struct Second: Codable, Sendable {
        public var second: Int
        public var sent: Int
        public var accepted: Int
        public var rejected: Int
        public var delivered: Int
        public var answerP50Milliseconds: Double
        public var answerP99Milliseconds: Double
        public var deliveryP99Milliseconds: Double
        public var inFlight: Int
        /// Wall-clock time at the end of the second (RFC 3339); absent from reports written before it was kept.
        public var wallClock: String? = nil
        /// With the router in this process, at the end of the second: deliveries waiting at the router, and for each
        /// node offline then, those waiting for it.
        public var waiting: Int? = nil
        public var offlineQueues: [String: Int]? = nil
    }

    /// The report as pretty JSON with sorted keys.
    public func json() throws -> Data { try reportJSON() }

    /// The per-second series as CSV, with a header line.
    public var csv: String {
        var lines = [
            "second,wall_clock,sent,accepted,rejected,delivered,answer_p50_ms,answer_p99_ms,delivery_p99_ms,in_flight"
        ]
        for s in series {
            lines.append(
                "\(s.second),\(s.wallClock ?? ""),\(s.sent),\(s.accepted),\(s.rejected),\(s.delivered),"
                    + String(
                        format: "%.3f,%.3f,%.3f,",
                        s.answerP50Milliseconds,
                        s.answerP99Milliseconds,
                        s.deliveryP99Milliseconds
                    ) + "\(s.inFlight)"
            )
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// What signing and verifying cost, for the terminal.
    var signatureLine: String {
        guard signatures.mode == "batch" else {
            return "Signatures: one Ed25519 signature per message; router and recipients verify each"
        }
        let recipient = signatures.recipientRootVerifications
        let checked = recipient + signatures.recipientRootHits
        var line =
            "Signatures: batches of at most \(signatures.batchMaximum); recipients verified \(recipient) roots for \(checked) deliveries"
        if checked > 0 { line += String(format: " (%.2f each)", Double(recipient) / Double(checked)) }
        if let writes = signatures.routerDeliveryWrites { line += ", which came in \(writes) writes from the router" }
        if let router = signatures.routerRootVerifications {
            line += "; the router \(router) roots"
            if let routerSide, routerSide.received > 0 {
                line += String(
                    format: " for %d messages (%.2f each)",
                    routerSide.received,
                    Double(router) / Double(routerSide.received)
                )
            }
        }
        if let roots = signatures.routerReceiptRootVerifications, let receipts = signatures.routerReceiptsChecked,
            receipts > 0
        {
            line += String(
                format: ", and %d for %d receipts (%.2f each)",
                roots,
                receipts,
                Double(roots) / Double(receipts)
            )
        }
        return line
    }

    /// The report for the terminal.
    public var text: String {
        func latency(_ figures: [String: Double]) -> String {
            let shown = ["p50", "p90", "p99", "p99.9", "max"].compactMap { key in
                figures[key].map { "\(key) \(Self.milliseconds($0))" }
            }
            return shown.isEmpty ? "none" : shown.joined(separator: ", ")
        }
        var lines: [String] = []
        lines.append("Load '\(name)' (seed \(seed), \(mode)) against the router \(router)")
        lines.append(
            "Nodes: \(nodes.connected)/\(nodes.configured) connected at the start (in \(String(format: "%.1f", nodes.secondsToConnect)) s), \(nodes.connectedAtEnd)/\(nodes.configured) at the end, \(nodes.senders) sending; "
                + "\(bodyBytes)-byte bodies"
        )
        if nodes.reconnects > 0 || nodes.secondsWithoutRouter > 0 {
            lines.append(
                String(
                    format:
                        "Connections lost and made again: %d reconnects, %d messages resent, %.1f node-seconds without a router",
                    nodes.reconnects,
                    nodes.resent,
                    nodes.secondsWithoutRouter
                )
            )
        }
        lines.append(
            String(
                format: "Offered %.0f msgs/s for %.1f s (%.1f s warm-up, %.1f s measured)",
                offeredPerSecond,
                durationSeconds,
                warmupSeconds,
                measuredSeconds
            )
        )
        lines.append(
            "Measured messages: \(measured.sent) sent, \(measured.accepted) accepted, \(measured.rejected) rejected; \(measured.delivered) deliveries"
        )
        lines.append(
            String(
                format:
                    "Throughput: %.0f answers/s (%.0f%% of offered), %.0f deliveries/s; accepted rate x%.0f SIENA's 2023 average",
                answeredPerSecond,
                offeredPerSecond > 0 ? 100 * answeredPerSecond / offeredPerSecond : 0,
                deliveredPerSecond,
                sienaMultiple
            )
        )
        lines.append(signatureLine)
        lines.append("Answer latency (send -> ACK/NACK): " + latency(answerLatencyMicroseconds))
        lines.append("Delivery latency (send -> recipient): " + latency(deliveryLatencyMicroseconds))
        lines.append("Generator lag: " + latency(sendLagMicroseconds))
        let rules = rejectionsByRule.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map {
            "\($0.key) \($0.value)"
        }
        lines.append("Rejections by rule: " + (rules.isEmpty ? "none" : rules.joined(separator: ", ")))
        if let routerSide {
            lines.append(
                "Router (the whole run, warm-up and drain included): \(routerSide.received) received, \(routerSide.accepted) accepted, \(routerSide.rejected) rejected; \(routerSide.deliveries) deliveries, "
                    + "\(routerSide.acknowledged) acknowledged; \(deliveriesReceived) received by recipients; latency "
                    + latency(routerSide.latencyMicroseconds)
            )
        }
        lines.append(
            "Unanswered at the end: \(unanswered); accepted but not delivered to every addressee (lost): \(lost); duplicate deliveries (suppressed): \(duplicateDeliveries)"
                + (refusedAsDuplicate > 0 ? "; refused as DUPLICATE: \(refusedAsDuplicate)" : "")
                + (unsealable > 0 ? "; not sent, unsealable: \(unsealable)" : "")
        )
        if !faults.isEmpty {
            lines.append("Faults (real seconds after the start of the traffic):")
            for fault in faults { lines.append("    " + fault.text) }
        }
        if let unreachable = nodes.unreachable {
            lines.append(
                "No node connected to the router at \(router), at the start or at the end: \(unreachable). FAILED"
            )
        }
        if !thresholds.isEmpty, measured.accepted + measured.rejected == 0 {
            lines.append(
                "Nothing was answered in the measured seconds (\(nodes.connected)/\(nodes.configured) nodes connected at the start): a run that measured nothing passes no threshold"
            )
        }
        for threshold in thresholds {
            lines.append(
                "Threshold \(threshold.name): \(Self.number(threshold.value)) against \(Self.number(threshold.limit)): \(threshold.passed ? "passed" : "FAILED")"
            )
        }
        // PASSED says the thresholds held: without any, there was nothing to pass.
        if thresholds.isEmpty {
            lines.append("No thresholds set (--max-lost, --min-throughput, --max-p99): nothing passed or failed")
        } else {
            lines.append(passed ? "PASSED" : "FAILED")
        }
        return lines.joined(separator: "\n")
    }

    static func milliseconds(_ microseconds: Double) -> String { String(format: "%.2f ms", microseconds / 1000) }

    /// A latency histogram (microseconds) as HdrHistogram's percentile distribution text, in milliseconds: what
    /// wrk2 `--latency` prints and `.hgrm` files hold, so that HdrHistogram's plotter can draw it.
    public static func distribution(of histogram: Histogram<UInt64>) -> String {
        var text = ""
        histogram.outputPercentileDistribution(to: &text, outputValueUnitScalingRatio: 1000)
        return text
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.3f", value)
    }
}
