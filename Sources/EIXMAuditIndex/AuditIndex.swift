import EIXMAudit
import EIXMModel
import Foundation
import GRDB
import GRDBSQLite

/// An SQLite index of an audit log (`index.sqlite` beside the segments, or any file for an export): one row per
/// record with a column per field, the nodes and rules each record names, the counts `stats` prints, and where
/// the index stopped. Updated incrementally: only the lines appended since the last update are read; a log changed
/// under the index (its last indexed record no longer where it was) is indexed again from the start.
///
/// `query` and `stats` answer from it without reading the log (except the record lines `--format json` prints).
public final class AuditIndex {
    public let log: URL
    public let file: URL
    private let database: DatabaseQueue

    /// The index file `query` and `stats` use when it exists.
    public static func defaultFile(for log: URL) -> URL { log.appendingPathComponent("index.sqlite") }

    /// The log's index when it has one (`index.sqlite` beside the segments), else nil.
    public static func ifPresent(log: URL) throws -> AuditIndex? {
        FileManager.default.fileExists(atPath: defaultFile(for: log).path) ? try AuditIndex(log: log) : nil
    }

    /// Opens (or creates) the index of the log in `log`, in `file` (default: beside the segments). An index file
    /// that is not a database, or a damaged one (it is written without syncs: a crash can leave it so), is removed
    /// and made again: it is only ever derived from the log.
    public init(log: URL, file: URL? = nil) throws {
        self.log = log
        let file = file ?? Self.defaultFile(for: log)
        self.file = file
        do {
            database = try Self.open(file)
        } catch let error as DatabaseError where [.SQLITE_CORRUPT, .SQLITE_NOTADB].contains(error.resultCode) {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: file.path + suffix) }
            do {
                database = try Self.open(file)
            } catch let error as DatabaseError {
                throw AuditError(path: file.path, "cannot make the index: \(error.message ?? "\(error.resultCode)")")
            }
        } catch let error as DatabaseError {
            throw AuditError(path: file.path, "cannot open the index: \(error.message ?? "\(error.resultCode)")")
        }
    }

    private static func open(_ file: URL) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.label = "eixm.audit.index"
        let database = try DatabaseQueue(path: file.path, configuration: configuration)
        try database.writeWithoutTransaction { db in
            // The index is derived from the log and made again when in doubt: no syncs, a large page cache.
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA synchronous = OFF")
            try db.execute(sql: "PRAGMA cache_size = -65536")
        }
        try database.write { db in try AuditIndexSchema.create(db) }
        return database
    }

    /// What an update did.
    public struct Update: Sendable, CustomStringConvertible {
        public var added = 0
        public var rebuilt = false
        public var unreadable = 0
        public var records = 0
        public var description: String {
            "\(records) record(s) indexed (\(added) added\(rebuilt ? ", the log had changed: indexed again from the start" : "")\(unreadable > 0 ? ", \(unreadable) unreadable line(s)" : ""))"
        }
    }

    /// Indexes what was appended to the log since the last update.
    @discardableResult
    public func update() throws -> Update {
        do {
            return try database.writeWithoutTransaction { db in try AuditIndexWriter(db: db, log: log).run() }
        } catch let error as DatabaseError {
            throw AuditError(path: file.path, "cannot update the index: \(error.message ?? "\(error.resultCode)")")
        }
    }

    /// The records matching `query`, in order, at most `limit`: each row as printed, and a way to read its line as
    /// written.
    public func forEach(
        matching query: AuditQuery,
        limit: Int = .max,
        _ body: (AuditRow, () throws -> String) throws -> Void
    ) throws {
        let (sql, arguments) = Self.selection(query, limit: limit)
        let lines = SegmentLines(log: log)
        try database.read { db in
            let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
            while let row = try rows.next() {
                let fields = (0..<AuditRow.titles.count).map { index -> String in
                    if index == 0 { return String(row[0] as Int64) }
                    return (row[index] as String?) ?? "-"
                }
                let place = (segment: row[11] as Int, offset: row[12] as Int64, length: row[13] as Int)
                try body(AuditRow(fields: fields)) {
                    try lines.line(segment: place.segment, offset: place.offset, length: place.length)
                }
            }
        }
    }

    /// The same records as ``forEach(matching:limit:_:)``, each as its CSV line (``AuditRow/csvLine``) as the index
    /// holds it, read from a narrow table of those lines: no string made, no wide row decoded. The bytes are valid
    /// only during the call.
    public func forEachCSVLine(
        matching query: AuditQuery,
        limit: Int = .max,
        _ body: (UnsafeBufferPointer<UInt8>) throws -> Void
    ) throws {
        let filter = Self.filter(query)
        // Filters on the node or rule read their own tables by seq: the wide records table is read only for the
        // others.
        let sql =
            filter.columns.isEmpty
            ? """
            SELECT line FROM record_csv \(filter.seq.isEmpty ? "" : "WHERE " + filter.seq.joined(separator: " AND "))
            ORDER BY seq LIMIT ?
            """
            : """
            SELECT record_csv.line FROM records JOIN record_csv USING (seq)
            WHERE \((filter.seq + filter.columns).joined(separator: " AND ")) ORDER BY seq LIMIT ?
            """
        try database.read { db in
            let statement = try db.makeStatement(sql: sql)
            try statement.setArguments(StatementArguments(filter.arguments + [limit]))
            let raw = statement.sqliteStatement
            defer { sqlite3_reset(raw) }
            while true {
                let code = sqlite3_step(raw)
                if code == SQLITE_DONE { return }
                guard code == SQLITE_ROW, let text = sqlite3_column_text(raw, 0) else {
                    throw AuditError(
                        path: file.path,
                        "cannot read the index: \(String(cString: sqlite3_errmsg(db.sqliteConnection)))"
                    )
                }
                try body(UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(raw, 0))))
            }
        }
    }

    /// A query's conditions: those on `seq` alone (node, rule: their own tables), those on the records' columns, and
    /// the arguments of both in that order.
    private static func filter(
        _ query: AuditQuery
    ) -> (seq: [String], columns: [String], arguments: [(any DatabaseValueConvertible)?]) {
        var seq: [String] = []
        var seqArguments: [(any DatabaseValueConvertible)?] = []
        if let node = query.node {
            seq.append("seq IN (SELECT seq FROM record_nodes WHERE node = ?)")
            seqArguments.append(node)
        }
        if let rule = query.rule {
            seq.append("seq IN (SELECT seq FROM record_rules WHERE rule = ?)")
            seqArguments.append(rule)
        }
        var columns: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        func add(_ condition: String, _ value: (any DatabaseValueConvertible)?) {
            columns.append(condition)
            arguments.append(value)
        }
        if let event = query.event { add("event = ?", event) }
        if let channel = query.channel { add("channel = ?", channel) }
        if let caseID = query.caseID { add("case_id = ?", caseID) }
        if let messageID = query.messageID { add("message_id = ?", messageID.lowercased()) }
        if let personalData = query.personalData { add("IFNULL(contains_personal_data, 0) = ?", personalData ? 1 : 0) }
        if let since = query.since { add("simulated_time >= ?", since.rfc3339) }
        if let until = query.until { add("simulated_time <= ?", until.rfc3339) }
        return (seq, columns, seqArguments + arguments)
    }

    /// The query's SQL: the printed columns (``AuditRow/titles``), then where the line is.
    private static func selection(_ query: AuditQuery, limit: Int) -> (sql: String, arguments: StatementArguments) {
        let filter = filter(query)
        let conditions = filter.seq + filter.columns
        let sql = """
            SELECT seq, simulated_time, event, message_id, case_id, sender, IFNULL(recipients, node), channel, msg_type,
                   rules, reasons, segment, offset, length
            FROM records \(conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "))
            ORDER BY seq LIMIT ?
            """
        return (sql, StatementArguments(filter.arguments + [limit]))
    }

    /// The counts `eixm audit stats` prints.
    public func summary() throws -> AuditSummary {
        try database.read { db in
            var summary = AuditSummary()
            summary.add(count: try Int.fetchOne(db, sql: "SELECT records FROM position") ?? 0, kind: .records, key: "")
            for row in try Row.fetchAll(db, sql: "SELECT kind, key, count FROM counts") {
                guard let kind = AuditCount.Kind(rawValue: row[0]) else { continue }
                summary.add(count: row[2], kind: kind, key: row[1])
            }
            return summary
        }
    }

    /// The distinct values of the fields people filter on.
    public func vocabulary() throws -> AuditVocabulary {
        try database.read { db in
            var vocabulary = AuditVocabulary()
            vocabulary.nodes = Set(try String.fetchAll(db, sql: "SELECT DISTINCT node FROM record_nodes"))
            vocabulary.rules = Set(try String.fetchAll(db, sql: "SELECT DISTINCT rule FROM record_rules"))
            vocabulary.events = Set(try String.fetchAll(db, sql: "SELECT key FROM counts WHERE kind = 'event'"))
            vocabulary.channels = Set(
                try String.fetchAll(db, sql: "SELECT DISTINCT channel FROM records WHERE channel IS NOT NULL")
            )
            vocabulary.cases = Set(
                try String.fetchAll(db, sql: "SELECT DISTINCT case_id FROM records WHERE case_id IS NOT NULL")
            )
            return vocabulary
        }
    }

    /// The lines that could not be read as records, as the last update found them.
    public func unreadable() throws -> [AuditReader.Unreadable] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT segment, line, reason FROM unreadable ORDER BY segment, line").map {
                AuditReader.Unreadable(segment: AuditSegments.name($0[0]), line: $0[1], reason: $0[2])
            }
        }
    }

    /// Adds a table of the rules (ID, what it requires, legal source) for an export.
    public func addRules(_ rules: [(id: String, summary: String, source: String)]) throws {
        try database.write { db in
            try db.execute(
                sql:
                    "CREATE TABLE IF NOT EXISTS rules (id TEXT PRIMARY KEY, summary TEXT NOT NULL, source TEXT NOT NULL)"
            )
            try db.execute(sql: "DELETE FROM rules")
            for rule in rules {
                try db.execute(
                    sql: "INSERT INTO rules (id, summary, source) VALUES (?, ?, ?)",
                    arguments: [rule.id, rule.summary, rule.source]
                )
            }
        }
    }
}
