import EIXMAudit
import EIXMModel
import EIXMTestKit
import Foundation
import Testing

@Suite("Questioning the audit log")
struct AuditQueryTests {
    @Test("filters select records; a message's lifecycle comes in order; stats count")
    func query() async throws {
        try await TemporaryDirectory.with { folder in
            try await AuditLogTests.writeLog(folder, count: 60)
            let (records, unreadable) = try AuditReader.read(directory: folder)
            #expect(unreadable.isEmpty)
            // Every second event answers another message: the record names it, in lower case like every ID.
            #expect(records.compactMap(\.inReplyTo).count == 30)
            #expect(records.compactMap(\.inReplyTo).first == SampleMessages.id(2).uuidString.lowercased())
            var byRule = AuditQuery()
            byRule.rule = "CH-01"
            #expect(records.filter(byRule.matches).count == 6)
            var lifecycle = AuditQuery()
            lifecycle.messageID = SampleMessages.id(5).uuidString
            let events = records.filter(lifecycle.matches)
            #expect(events.map(\.seq) == events.map(\.seq).sorted())
            #expect(!events.isEmpty)
            var node = AuditQuery()
            node.node = "SPOC-FR"
            node.event = "received"
            #expect(records.filter(node.matches).count == 20)
            var window = AuditQuery()
            window.since = SampleMessages.createdAt.adding(seconds: 10 * 3600)
            window.until = SampleMessages.createdAt.adding(seconds: 19 * 3600)
            #expect(records.filter(window.matches).filter { $0.event != "checkpoint" }.count == 10)
            let summary = AuditSummary(records)
            #expect(summary.byEvent["received"] == 20)
            #expect(summary.byEvent["checkpoint", default: 0] >= 1)
        }
    }

    @Test("an unreadable line is reported, not skipped")
    func unreadable() async throws {
        try await TemporaryDirectory.with { folder in
            try await AuditLogTests.writeLog(folder, count: 5)
            let segment = folder.appendingPathComponent("audit-000001.jsonl")
            try (try String(contentsOf: segment, encoding: .utf8) + "garbage\n").write(
                to: segment,
                atomically: true,
                encoding: .utf8
            )
            let (records, unreadable) = try AuditReader.read(directory: folder)
            #expect(records.count > 5)
            #expect(unreadable.count == 1)
            #expect(unreadable.first?.line == records.count + 1)
        }
    }

    @Test(
        "a filter that matches nothing gets a hint naming what the log holds; a row has every column, reasons included"
    )
    func hintsAndRows() async throws {
        try await TemporaryDirectory.with { folder in
            try await AuditLogTests.writeLog(folder, count: 30)
            var vocabulary = AuditVocabulary()
            var summary = AuditSummary()
            let unreadable = try AuditReader.forEach(directory: folder) { record in
                vocabulary.add(record)
                summary.add(record)
            }
            #expect(unreadable.isEmpty)
            #expect(summary.records == AuditLogTests.recordCount(events: 30))
            var query = AuditQuery()
            query.channel = "siena"
            query.node = "SPOC-XX"
            query.rule = "CH-01"
            let hints = vocabulary.hints(for: query)
            #expect(hints.count == 2, "\(hints)")
            #expect(hints.contains("no record has channel 'siena': did you mean 'SIENA'?"))
            #expect(hints.contains { $0.hasPrefix("no record has node 'SPOC-XX'; the log's nodes: SPOC-BE, SPOC-FR") })
            let record = try #require(try AuditReader.read(directory: folder).records.first { $0.event == "received" })
            let row = AuditRow(record)
            #expect(row.fields.count == AuditRow.titles.count)
            #expect(AuditRow.csvTitles.count == AuditRow.titles.count)
            #expect(row.fields[4] == "CASE-0")
            #expect(row.fields[10] == "a \"quoted\" reason\nwith a newline")
        }
    }
}

@Suite("Counting arrivals")
struct AuditArrivalTests {
    /// A record line as the router writes it (chain fields left out: the summary does not read them).
    static func line(_ seq: Int, _ event: String, id: String, digests: Bool, second: Int) -> String {
        let sums =
            digests
            ? #","header_sha256":"\#(String(repeating: "ab", count: 32))","body_sha256":"\#(String(repeating: "cd", count: 32))""#
            : ""
        return
            #"{"seq":\#(seq),"real_time":"2026-11-29T08:00:0\#(second).000Z","simulated_time":"2026-11-29T08:00:0\#(second).000Z","event":"\#(event)","message_id":"\#(id)","sender":"SPOC-BE","recipients":["SPOC-FR"],"channel":"SIENA","msg_type":"REQUEST"\#(sums)}"#
    }

    @Test("stats count each message once, in a log written now and in one with the earlier received records")
    func arrivalsCountOnce() {
        // Now: the decision (or a resend's duplicate record) carries the digests; a delivery, a NACK and a rejection
        // before verification do not. Before: a received record with the digests ahead of each decision, which had
        // none.
        let now: [(String, String, Bool, Int)] = [
            ("accepted", "m1", true, 1), ("delivered", "m1", false, 1), ("rejected", "m2", true, 2),
            ("nacked", "m2", false, 2), ("duplicate", "m1", true, 3), ("rejected", "m3", false, 3),
        ]
        let before: [(String, String, Bool, Int)] = [
            ("received", "m1", true, 1), ("accepted", "m1", false, 1), ("delivered", "m1", false, 1),
            ("received", "m2", true, 2), ("rejected", "m2", false, 2), ("nacked", "m2", false, 2),
            ("received", "m1", true, 3), ("duplicate", "m1", false, 3), ("rejected", "m3", false, 3),
        ]
        for log in [now, before] {
            let lines = log.enumerated().map { Self.line($0, $1.0, id: $1.1, digests: $1.2, second: $1.3) }
            let read = AuditReader.records(in: Array((lines.joined(separator: "\n") + "\n").utf8), segment: "a")
            #expect(read.records.count == lines.count)
            let summary = AuditSummary(read.records)
            #expect(summary.bySender == ["SPOC-BE": 3])
            #expect(summary.byChannel == ["SIENA": 3])
            #expect(summary.receivedPerHour == ["2026-11-29T08": 3])
            #expect(summary.peakPerSecond == 1)
            #expect(read.records.filter(\.isArrival).compactMap(\.messageID) == ["m1", "m2", "m1"])
        }
    }
}
