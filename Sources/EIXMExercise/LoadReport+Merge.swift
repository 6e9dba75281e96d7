import EIXMRouter
import Foundation
import Histogram

/// Why the reports of a sharded load cannot be merged.
public struct LoadMergeError: Error, CustomStringConvertible {
    public let description: String
}

extension LoadReport {
    /// One report from the reports of the M processes of a sharded load (`eixm load --shard K/M`), as if one
    /// process had run every node: counts and rates add up, histograms are added (HdrHistogram), a message is lost
    /// when it was answered ACCEPTED and some addressee received it in no process, and the thresholds are judged
    /// again on the merged figures. Per-second rows add their counts and keep the highest of the processes'
    /// percentiles (percentiles of a second cannot be added).
    public static func merged(_ reports: [LoadReport]) throws(LoadMergeError) -> LoadReport {
        guard let first = reports.first else { throw LoadMergeError(description: "no reports to merge") }
        var parts: [(report: LoadReport, data: ShardData)] = []
        for report in reports {
            guard let data = report.shardData else {
                throw LoadMergeError(
                    description: "the report of '\(report.name)' is not from a sharded load (--shard K/M)"
                )
            }
            parts.append((report, data))
        }
        let count = parts[0].data.shard.count
        let shards = parts.map(\.data.shard)
        guard shards.allSatisfy({ $0.count == count }) else {
            throw LoadMergeError(
                description:
                    "the reports are of different shardings: \(shards.map(\.description).joined(separator: ", "))"
            )
        }
        let missingShards = (1...count).filter { index in !shards.contains { $0.index == index } }
        guard missingShards.isEmpty, shards.count == count else {
            let twice = Dictionary(grouping: shards, by: \.index).filter { $0.value.count > 1 }.keys.sorted()
            let said = missingShards.map { "\($0)/\(count) is missing" } + twice.map { "\($0)/\(count) is given twice" }
            throw LoadMergeError(
                description: "a merge needs each of the \(count) shards once: " + said.joined(separator: ", ")
            )
        }
        func sum<T: AdditiveArithmetic>(_ value: (LoadReport) -> T) -> T { reports.reduce(.zero) { $0 + value($1) } }
        func histogram(_ value: (ShardData) -> Histogram<UInt64>) -> Histogram<UInt64> {
            var total = value(parts[0].data)
            for part in parts.dropFirst() { total.add(value(part.data)) }
            return total
        }
        // Lost: accepted, and some addressee received it in no process.
        var received: [String: Set<String>] = [:]
        for part in parts {
            for (id, nodes) in part.data.received { received[id, default: []].formUnion(nodes) }
        }
        let lost = parts.reduce(0) { total, part in
            total + part.data.missing.count { id, nodes in !Set(nodes).subtracting(received[id] ?? []).isEmpty }
        }
        let answerLatency = histogram(\.answerLatency)
        let measuredSeconds = sum(\.measuredSeconds) / Double(reports.count)
        let answeredPerSecond = parts.reduce(0.0) {
            $0 + Double($1.data.answeredInWindow) / max($1.report.measuredSeconds, 0.001)
        }
        let deliveredPerSecond = parts.reduce(0.0) {
            $0 + Double($1.data.deliveredInWindow) / max($1.report.measuredSeconds, 0.001)
        }
        let offered = sum(\.offeredPerSecond)
        let measured = Counts(
            sent: sum(\.measured.sent),
            accepted: sum(\.measured.accepted),
            rejected: sum(\.measured.rejected),
            delivered: sum(\.measured.delivered)
        )
        let unanswered = sum(\.unanswered)
        let refusedAsDuplicate = sum(\.refusedAsDuplicate)
        let thresholds = judge(
            first.limits,
            answered: measured.accepted + measured.rejected,
            answerLatency: answerLatency,
            answeredShare: answeredPerSecond / max(offered, 1e-9),
            missing: lost + unanswered + refusedAsDuplicate
        )
        var series: [Int: Second] = [:]
        for row in reports.flatMap(\.series) {
            guard var total = series[row.second] else {
                series[row.second] = row
                continue
            }
            total.sent += row.sent
            total.accepted += row.accepted
            total.rejected += row.rejected
            total.delivered += row.delivered
            total.inFlight += row.inFlight
            total.answerP50Milliseconds = max(total.answerP50Milliseconds, row.answerP50Milliseconds)
            total.answerP99Milliseconds = max(total.answerP99Milliseconds, row.answerP99Milliseconds)
            total.deliveryP99Milliseconds = max(total.deliveryP99Milliseconds, row.deliveryP99Milliseconds)
            series[row.second] = total
        }
        // Unreachable as a whole only if no process connected a node.
        let unreachable = reports.allSatisfy { $0.nodes.unreachable != nil } ? first.nodes.unreachable : nil
        return LoadReport(
            auditTreeHead: nil,
            name: first.name,
            seed: first.seed,
            mode: first.mode,
            router: "\(first.router) (\(count) load processes, merged)",
            nodes: Nodes(
                configured: sum(\.nodes.configured),
                connected: sum(\.nodes.connected),
                connectedAtEnd: sum(\.nodes.connectedAtEnd),
                senders: sum(\.nodes.senders),
                reconnects: sum(\.nodes.reconnects),
                resent: sum(\.nodes.resent),
                secondsWithoutRouter: sum(\.nodes.secondsWithoutRouter),
                secondsToConnect: reports.map(\.nodes.secondsToConnect).max() ?? 0,
                unreachable: unreachable
            ),
            offeredPerSecond: offered,
            durationSeconds: reports.map(\.durationSeconds).max() ?? 0,
            warmupSeconds: first.warmupSeconds,
            measuredSeconds: measuredSeconds,
            bodyBytes: first.bodyBytes,
            signatures: Signatures(
                mode: first.signatures.mode,
                batchMaximum: first.signatures.batchMaximum,
                routerRootVerifications: nil,
                routerReceiptRootVerifications: nil,
                routerReceiptsChecked: nil,
                routerDeliveryWrites: nil,
                recipientRootVerifications: sum(\.signatures.recipientRootVerifications),
                recipientRootHits: sum(\.signatures.recipientRootHits)
            ),
            measured: measured,
            rejectionsByRule: reports.reduce(into: [:]) { total, report in
                total.merge(report.rejectionsByRule, uniquingKeysWith: +)
            },
            answeredPerSecond: answeredPerSecond,
            deliveredPerSecond: deliveredPerSecond,
            sienaMultiple: Double(measured.accepted) / max(measuredSeconds, 0.001) * 3600 / 200,
            answerLatencyMicroseconds: answerLatency.summary,
            deliveryLatencyMicroseconds: histogram(\.deliveryLatency).summary,
            sendLagMicroseconds: histogram(\.sendLag).summary,
            routerSide: nil,
            deliveriesReceived: sum(\.deliveriesReceived),
            duplicateDeliveries: sum(\.duplicateDeliveries),
            unanswered: unanswered,
            lost: lost,
            refusedAsDuplicate: refusedAsDuplicate,
            unsealable: sum(\.unsealable),
            limits: first.limits,
            thresholds: thresholds,
            passed: thresholds.allSatisfy(\.passed) && unreachable == nil,
            series: series.keys.sorted().compactMap { series[$0] },
            faults: reports.flatMap(\.faults),
            shardData: nil,
            trafficMatrix: reports.compactMap(\.trafficMatrix).reduce(into: [:]) { total, matrix in
                for (sender, row) in matrix { total[sender, default: [:]].merge(row, uniquingKeysWith: +) }
            }
        )
    }
}
