import EIXMAudit
import Foundation
import GRDB

/// Brings an index up to date with its log: from where the last update stopped, one segment at a time, in
/// transactions of a few thousand records.
struct AuditIndexWriter {
    let db: Database
    let log: URL
    static let recordsPerTransaction = 20_000

    /// Where the index stopped: how many records it holds, and the segment, byte offset and line after the last.
    struct Position {
        var records = 0
        var segment = 1
        var offset = 0
        var line = 0
    }

    func run() throws -> AuditIndex.Update {
        var update = AuditIndex.Update()
        var position =
            try Row.fetchOne(db, sql: "SELECT records, segment, offset, line FROM position").map {
                Position(records: $0[0], segment: $0[1], offset: $0[2], line: $0[3])
            } ?? Position()
        if position.records > 0, try !lastRecordStillThere() {
            try db.inTransaction {
                try AuditIndexSchema.clear(db)
                return .commit
            }
            position = Position()
            update.rebuilt = true
        }
        // A whole log: the secondary indexes are built once at the end.
        let wholeLog = position.records == 0
        if wholeLog { try AuditIndexSchema.dropIndexes(db) }
        defer { if wholeLog { try? AuditIndexSchema.createIndexes(db) } }
        let inserts = try Inserts(db)
        for segment in try AuditSegments.list(log) where segment.index >= position.segment {
            if segment.index > position.segment {
                position = Position(records: position.records, segment: segment.index)
            }
            let url = log.appendingPathComponent(segment.name)
            // Nothing appended to this segment since: not read at all.
            let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size]) as? Int
            if size == position.offset { continue }
            let bytes = try AuditSegments.read(url)
            var offset = position.offset
            var line = position.line
            var counts: [AuditCount.Kind: [String: Int]] = [:]
            var pending = 0
            try db.execute(sql: "BEGIN IMMEDIATE")
            do {
                let decoder = JSONDecoder()
                while offset < bytes.count, let newline = bytes[offset...].firstIndex(of: 0x0A) {
                    line += 1
                    let data = Data(bytes[offset..<newline])
                    if let record = try? decoder.decode(AuditRecord.self, from: data), data.count > 66 {
                        let hash = String(decoding: data[(data.count - 66)..<(data.count - 2)], as: UTF8.self)
                        try inserts.add(record, segment: segment.index, offset: offset, length: data.count, hash: hash)
                        for count in AuditSummary.counts(of: record) {
                            counts[count.kind, default: [:]][count.key, default: 0] += count.count
                        }
                        position.records += 1
                        update.added += 1
                    } else {
                        try db.execute(
                            sql: "INSERT INTO unreadable (segment, line, reason) VALUES (?, ?, ?)",
                            arguments: [segment.index, line, "not a readable audit record"]
                        )
                        update.unreadable += 1
                    }
                    offset = newline + 1
                    pending += 1
                    if pending >= Self.recordsPerTransaction {
                        try finish(
                            &counts,
                            position: Position(
                                records: position.records,
                                segment: segment.index,
                                offset: offset,
                                line: line
                            )
                        )
                        try db.execute(sql: "BEGIN IMMEDIATE")
                        pending = 0
                    }
                }
                try finish(
                    &counts,
                    position: Position(records: position.records, segment: segment.index, offset: offset, line: line)
                )
            } catch {
                try? db.execute(sql: "ROLLBACK")
                throw error
            }
            position = Position(records: position.records, segment: segment.index, offset: offset, line: line)
        }
        update.records = position.records
        update.unreadable = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM unreadable") ?? 0
        return update
    }

    /// Adds the counts gathered, moves the position and commits.
    private func finish(
        _ counts: inout [AuditCount.Kind: [String: Int]],
        position: Position
    ) throws {
        for (kind, table) in counts {
            for (key, count) in table {
                try db.execute(
                    sql:
                        "INSERT INTO counts (kind, key, count) VALUES (?, ?, ?) ON CONFLICT (kind, key) DO UPDATE SET count = count + excluded.count",
                    arguments: [kind.rawValue, key, count]
                )
            }
        }
        counts = [:]
        try db.execute(
            sql: "UPDATE position SET records = ?, segment = ?, offset = ?, line = ?",
            arguments: [position.records, position.segment, position.offset, position.line]
        )
        try db.execute(sql: "COMMIT")
    }

    /// Whether the last record indexed is still where it was, as it was.
    private func lastRecordStillThere() throws -> Bool {
        guard
            let row = try Row.fetchOne(
                db,
                sql: "SELECT segment, offset, length, hash FROM records ORDER BY seq DESC LIMIT 1"
            )
        else { return false }
        let lines = SegmentLines(log: log)
        guard let text = try? lines.line(segment: row[0], offset: row[1], length: row[2]) else { return false }
        return text.hasSuffix(#""hash":"\#(row[3] as String)"}"#)
    }
}

/// The index's prepared insert statements.
private struct Inserts {
    let record: Statement
    let csv: Statement
    let node: Statement
    let rule: Statement

    init(_ db: Database) throws {
        record = try db.makeStatement(
            sql: """
                INSERT OR REPLACE INTO records (seq, segment, offset, length, real_time, simulated_time, event, message_id,
                    case_id, in_reply_to, sender, recipients, channel, msg_type, handling_codes, contains_personal_data,
                    rules, reasons, claimed, certified, node, certificate_sha256, peer_address, hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        )
        csv = try db.makeStatement(sql: "INSERT OR REPLACE INTO record_csv (seq, line) VALUES (?, ?)")
        node = try db.makeStatement(sql: "INSERT OR IGNORE INTO record_nodes (node, seq) VALUES (?, ?)")
        rule = try db.makeStatement(sql: "INSERT OR IGNORE INTO record_rules (rule, seq) VALUES (?, ?)")
    }

    func add(_ record: AuditRecord, segment: Int, offset: Int, length: Int, hash: String) throws {
        func joined(_ values: [String]?, _ separator: String = " ") -> String? {
            guard let values, !values.isEmpty else { return nil }
            return values.joined(separator: separator)
        }
        let seq = Int64(bitPattern: record.seq)
        try self.record.execute(arguments: [
            seq, segment, offset, length, record.realTime, record.simulatedTime, record.event, record.messageID,
            record.caseID, record.inReplyTo, record.sender, joined(record.recipients), record.channel,
            record.messageType, joined(record.handlingCodes), record.containsPersonalData.map { $0 ? 1 : 0 },
            joined(record.rules), joined(record.reasons, " | "), record.claimed, record.certified, record.node,
            record.certificateFingerprint, record.peerAddress, hash,
        ])
        try csv.execute(arguments: [seq, AuditRow(record).csvLine])
        for node in Set(record.nodes) { try self.node.execute(arguments: [node, seq]) }
        for rule in Set(record.rules ?? []) { try self.rule.execute(arguments: [rule, seq]) }
    }
}
