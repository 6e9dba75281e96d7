import EIXMAudit
import EIXMAuditIndex
import EIXMModel
import EIXMTestKit
import Foundation
import GRDB
import Testing

/// The SQLite index answers as reading the log does: the streamed answer (``AuditQuery/matches(_:)`` over every
/// record) is the reference.
@Suite("The audit log's SQLite index")
struct AuditIndexTests {
    static func queries() -> [AuditQuery] {
        var queries: [AuditQuery] = [AuditQuery()]
        func make(_ change: (inout AuditQuery) -> Void) {
            var query = AuditQuery()
            change(&query)
            queries.append(query)
        }
        make { $0.node = "SPOC-FR" }
        make { $0.rule = "CH-01" }
        make { $0.event = "received" }
        make { $0.channel = "SIENA" }
        make { $0.caseID = "CASE-3" }
        make { $0.messageID = SampleMessages.id(5).uuidString }
        make { $0.personalData = false }
        make {
            $0.since = SampleMessages.createdAt.adding(seconds: 10 * 3600)
            $0.until = SampleMessages.createdAt.adding(seconds: 19 * 3600)
        }
        make {
            $0.node = "SPOC-BE"
            $0.event = "delivered"
            $0.caseID = "CASE-2"
        }
        make { $0.channel = "siena" }
        return queries
    }

    static func streamed(_ folder: URL, _ query: AuditQuery, limit: Int = .max) throws -> [[String]] {
        Array(
            try AuditReader.read(directory: folder).records.filter(query.matches).prefix(limit).map {
                AuditRow($0).fields
            }
        )
    }

    static func indexed(_ index: AuditIndex, _ query: AuditQuery, limit: Int = .max) throws -> [[String]] {
        var rows: [[String]] = []
        try index.forEach(matching: query, limit: limit) { row, _ in rows.append(row.fields) }
        return rows
    }

    static func json(_ summary: AuditSummary) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(summary), as: UTF8.self)
    }

    @Test("every query gives the rows reading the log gives; stats the same counts; json the lines as written")
    func sameAnswers() async throws {
        try await TemporaryDirectory.with { folder in
            try await AuditLogTests.writeLog(folder, count: 300)
            let index = try AuditIndex(log: folder)
            let update = try index.update()
            #expect(update.added == AuditLogTests.recordCount(events: 300))
            for query in Self.queries() {
                let expected = try Self.streamed(folder, query)
                #expect(try Self.indexed(index, query) == expected, "\(query)")
                #expect(try Self.indexed(index, query, limit: 3) == Array(expected.prefix(3)))
            }
            #expect(try Self.indexed(index, AuditQuery()).count == AuditLogTests.recordCount(events: 300))
            #expect(
                try Self.json(index.summary()) == Self.json(AuditSummary(AuditReader.read(directory: folder).records))
            )
            var texts: [String] = []
            try index.forEach(matching: AuditQuery(), limit: 40) { _, text in texts.append(try text()) }
            #expect(texts == Array(try AuditLogTests.lines(folder).prefix(40)))
            #expect(try index.vocabulary().channels == ["SIENA"])
        }
    }

    @Test("an update reads only what was appended; a log changed under its index is indexed again")
    func incrementalAndRebuilt() async throws {
        try await TemporaryDirectory.with { folder in
            try await AuditLogTests.writeLog(folder, count: 100)
            let index = try AuditIndex(log: folder)
            #expect(try index.update().added == AuditLogTests.recordCount(events: 100))
            #expect(try index.update().added == 0)
            let log = try FileAuditLog(directory: folder, signer: AuditLogTests.signer)
            log.append(AuditLogTests.events(25, start: 100))
            await AuditLogTests.stored(log)
            try await log.close()
            let appended = try index.update()
            // opened and its seal, 25 events, the batch's seal, the final checkpoint.
            #expect(appended.added == 2 + 25 + 1 + 1)
            #expect(!appended.rebuilt)
            for query in Self.queries() { #expect(try Self.indexed(index, query) == Self.streamed(folder, query)) }
            // Another log in the same place.
            try FileManager.default.removeItem(at: folder.appendingPathComponent("audit-000001.jsonl"))
            try await AuditLogTests.writeLog(folder, count: 40)
            let again = try index.update()
            #expect(again.rebuilt)
            #expect(again.records == AuditLogTests.recordCount(events: 40))
            for query in Self.queries() { #expect(try Self.indexed(index, query) == Self.streamed(folder, query)) }
            #expect(
                try Self.json(index.summary()) == Self.json(AuditSummary(AuditReader.read(directory: folder).records))
            )
        }
    }

    @Test("an unreadable line is kept as such, named by segment and line")
    func unreadableLines() async throws {
        try await TemporaryDirectory.with { folder in
            try await AuditLogTests.writeLog(folder, count: 5)
            let lines = try AuditLogTests.lines(folder)
            try AuditLogTests.write(lines + ["garbage"], to: folder)
            let index = try AuditIndex(log: folder)
            #expect(try index.update().unreadable == 1)
            let unreadable = try index.unreadable()
            #expect(
                unreadable.map(\.description) == [
                    "audit-000001.jsonl line \(lines.count + 1): not a readable audit record"
                ]
            )
        }
    }

    @Test("an index file that is not a database is made again from the log")
    func garbageIndexFile() async throws {
        try await TemporaryDirectory.with { folder in
            try await AuditLogTests.writeLog(folder, count: 20)
            try Data(repeating: 0x5A, count: 8192).write(to: AuditIndex.defaultFile(for: folder))
            let index = try AuditIndex(log: folder)
            #expect(try index.update().added == AuditLogTests.recordCount(events: 20))
            #expect(try Self.indexed(index, AuditQuery()) == Self.streamed(folder, AuditQuery()))
        }
    }

    @Test("reading with a query's needles skips only lines that cannot match, and still reports unreadable ones")
    func needlesSkipOnlyNonMatches() async throws {
        try await TemporaryDirectory.with { folder in
            try await AuditLogTests.writeLog(folder, count: 120)
            try AuditLogTests.write(try AuditLogTests.lines(folder) + ["garbage"], to: folder)
            for query in Self.queries() {
                var rows: [[String]] = []
                let unreadable = try AuditReader.forEach(directory: folder, containing: query.needles) { record in
                    if query.matches(record) { rows.append(AuditRow(record).fields) }
                }
                #expect(rows == (try Self.streamed(folder, query)), "\(query)")
                #expect(unreadable.count == 1)
            }
        }
    }
}

extension AuditIndexTests {
    static func csvLines(_ index: AuditIndex, _ query: AuditQuery, limit: Int = .max) throws -> [String] {
        var lines: [String] = []
        try index.forEachCSVLine(matching: query, limit: limit) { lines.append(String(decoding: $0, as: UTF8.self)) }
        return lines
    }

    @Test(
        "CSV from the index's narrow table gives, for every query, the lines the log's records give, quoting included"
    )
    func csvLinesAsStreamed() async throws {
        try await TemporaryDirectory.with { folder in
            try await AuditLogTests.writeLog(folder, count: 300)
            let index = try AuditIndex(log: folder)
            try index.update()
            var queries = Self.queries()
            var both = AuditQuery()
            both.rule = "EU-02"
            both.event = "accepted"
            queries.append(both)
            for query in queries {
                let expected = try AuditReader.read(directory: folder).records.filter(query.matches).map {
                    AuditRow($0).csvLine
                }
                #expect(try Self.csvLines(index, query) == expected, "\(query)")
                #expect(try Self.csvLines(index, query, limit: 2) == Array(expected.prefix(2)))
            }
            // The events' reasons hold a quote and a line break: quoted, the quote doubled.
            let quoted = try Self.csvLines(index, AuditQuery()).filter { $0.contains("\"\"quoted\"\"") }
            #expect(!quoted.isEmpty && quoted.allSatisfy { $0.hasSuffix("with a newline\"") })
        }
    }

    @Test("an index made by another version of its layout is made again from the log")
    func otherVersionRebuilt() async throws {
        try await TemporaryDirectory.with { folder in
            try await AuditLogTests.writeLog(folder, count: 40)
            let file = AuditIndex.defaultFile(for: folder)
            try AuditIndex(log: folder).update()
            // The layout before record_csv: no CSV lines, version 1.
            let old = try DatabaseQueue(path: file.path)
            try await old.writeWithoutTransaction { db in
                try db.execute(sql: "DELETE FROM record_csv; PRAGMA user_version = 1")
            }
            try old.close()
            let index = try AuditIndex(log: folder)
            #expect(try index.update().added == AuditLogTests.recordCount(events: 40))
            #expect(try Self.csvLines(index, AuditQuery()).count == AuditLogTests.recordCount(events: 40))
        }
    }
}
