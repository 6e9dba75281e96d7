import EIXMModel
import Foundation
import Histogram
import Testing

@testable import EIXMExercise

/// `LoadReport.merged`: the reports of a sharded load made one, from hand-made shard reports.
@Suite("Merging the reports of a sharded load")
struct LoadMergeTests {
    /// A shard's report with the given records and one answer latency (microseconds).
    static func report(
        _ index: Int,
        of count: Int,
        sent: Int,
        missing: [String: [String]] = [:],
        received: [String: [String]] = [:],
        latency: UInt64,
        maxLost: Int? = 0
    ) -> LoadReport {
        var histogram = LoadRecorder.histogram()
        _ = histogram.record(latency)
        let shard = LoadShard("\(index)/\(count)")!
        return LoadReport(
            auditTreeHead: nil,
            name: "merge",
            seed: 1,
            mode: "DIR_2023_977_FULL",
            router: "127.0.0.1:1",
            nodes: .init(
                configured: 2,
                connected: 2,
                connectedAtEnd: 2,
                senders: 2,
                reconnects: 0,
                resent: 0,
                secondsWithoutRouter: 0,
                secondsToConnect: Double(index)
            ),
            offeredPerSecond: 50,
            durationSeconds: 2,
            warmupSeconds: 0,
            measuredSeconds: 2,
            bodyBytes: 16,
            signatures: .init(
                mode: "batch",
                batchMaximum: 256,
                routerRootVerifications: nil,
                routerReceiptRootVerifications: nil,
                routerReceiptsChecked: nil,
                routerDeliveryWrites: nil,
                recipientRootVerifications: 3,
                recipientRootHits: 1
            ),
            measured: .init(sent: sent, accepted: sent, rejected: 0, delivered: sent),
            rejectionsByRule: ["EU-01": index],
            answeredPerSecond: Double(sent) / 2,
            deliveredPerSecond: Double(sent) / 2,
            sienaMultiple: 0,
            answerLatencyMicroseconds: [:],
            deliveryLatencyMicroseconds: [:],
            sendLagMicroseconds: [:],
            routerSide: nil,
            deliveriesReceived: sent,
            duplicateDeliveries: 0,
            unanswered: 0,
            lost: 0,
            refusedAsDuplicate: 0,
            unsealable: 0,
            limits: .init(maxLost: maxLost),
            thresholds: [],
            passed: true,
            series: [
                .init(
                    second: 1,
                    sent: sent,
                    accepted: sent,
                    rejected: 0,
                    delivered: sent,
                    answerP50Milliseconds: Double(index),
                    answerP99Milliseconds: Double(index),
                    deliveryP99Milliseconds: 1,
                    inFlight: 0
                )
            ],
            shardData: .init(
                shard: shard,
                answerLatency: histogram,
                deliveryLatency: histogram,
                sendLag: histogram,
                answeredInWindow: sent,
                deliveredInWindow: sent,
                missing: missing,
                received: received
            )
        )
    }

    @Test(
        "a message is lost when some addressee received it in no process, even if another process received it for others"
    )
    func lostAcrossShards() throws {
        let reports = [
            Self.report(1, of: 3, sent: 10, missing: ["m1": ["B", "C"], "m2": ["B", "C"]], latency: 1_000),
            Self.report(2, of: 3, sent: 20, received: ["m1": ["B"], "m2": ["B"]], latency: 3_000),
            Self.report(3, of: 3, sent: 30, received: ["m1": ["C"]], latency: 2_000),
        ]
        let merged = try LoadReport.merged(reports)
        #expect(merged.lost == 1, "m2 never reached C")
        #expect(!merged.passed, "--max-lost 0 fails on the merged figure")
        #expect(merged.measured.sent == 60)
        #expect(merged.offeredPerSecond == 150)
        #expect(merged.rejectionsByRule == ["EU-01": 6])
        #expect(merged.nodes.configured == 6)
        #expect(merged.nodes.secondsToConnect == 3)
        #expect(merged.signatures.recipientRootVerifications == 9)
        #expect(merged.series.count == 1)
        #expect(merged.series.first?.sent == 60)
        #expect(merged.series.first?.answerP99Milliseconds == 3, "the highest of the processes' percentiles")
        // The histograms were added: three values, the median is the middle one (HdrHistogram's precision).
        let p50 = try #require(merged.answerLatencyMicroseconds["p50"])
        #expect(abs(p50 - 2_000) <= 2)
        #expect(merged.shardData == nil)
        // Every addressee received it somewhere: nothing lost, and the threshold holds.
        var complete = reports
        complete[2].shardData?.received = ["m1": ["C"], "m2": ["C"]]
        let whole = try LoadReport.merged(complete)
        #expect(whole.lost == 0)
        #expect(whole.passed)
    }

    @Test("a merge needs every shard of one sharding once, and reports from sharded loads")
    func refusals() {
        let one = Self.report(1, of: 2, sent: 1, latency: 1)
        #expect(throws: LoadMergeError.self) { try LoadReport.merged([]) }
        for (reports, says) in [
            ([one], "2/2 is missing"), ([one, one], "1/2 is given twice"),
            ([one, Self.report(2, of: 3, sent: 1, latency: 1)], "different shardings"),
        ] {
            do {
                _ = try LoadReport.merged(reports)
                Issue.record("merged \(reports.count) reports")
            } catch {
                #expect(error.description.contains(says), "\(error)")
            }
        }
        var unsharded = one
        unsharded.shardData = nil
        #expect(throws: LoadMergeError.self) { try LoadReport.merged([unsharded]) }
        // A report whose shard was edited to 0/0 is refused when read, naming the field.
        let text = String(decoding: (try? one.json()) ?? Data(), as: UTF8.self)
            .replacingOccurrences(of: #""count" : 2,"#, with: #""count" : 0,"#)
            .replacingOccurrences(of: #""index" : 1"#, with: #""index" : 0"#)
        #expect(text.contains(#""count" : 0"#))
        do {
            _ = try LoadReport.fromReportJSON(Data(text.utf8))
            Issue.record("a 0/0 shard was read")
        } catch let DecodingError.dataCorrupted(context) {
            #expect(context.codingPath.map(\.stringValue).contains("shard"))
        } catch {
            Issue.record("\(error)")
        }
    }
}
