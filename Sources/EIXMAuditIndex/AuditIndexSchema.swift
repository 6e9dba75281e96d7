import GRDB

/// The index's tables (README.md, "Questions at scale", documents them for people who open an export).
enum AuditIndexSchema {
    /// The layout's version (`PRAGMA user_version`): an index of another version is made again from its log.
    /// 2: `record_csv`, each record's CSV line, so that a CSV answer reads a narrow table.
    static let version = 2

    static func create(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE IF NOT EXISTS records (
                    seq INTEGER PRIMARY KEY,
                    segment INTEGER NOT NULL,
                    offset INTEGER NOT NULL,
                    length INTEGER NOT NULL,
                    real_time TEXT NOT NULL,
                    simulated_time TEXT NOT NULL,
                    event TEXT NOT NULL,
                    message_id TEXT,
                    case_id TEXT,
                    in_reply_to TEXT,
                    sender TEXT,
                    recipients TEXT,
                    channel TEXT,
                    msg_type TEXT,
                    handling_codes TEXT,
                    contains_personal_data INTEGER,
                    rules TEXT,
                    reasons TEXT,
                    claimed TEXT,
                    certified TEXT,
                    node TEXT,
                    certificate_sha256 TEXT,
                    peer_address TEXT,
                    hash TEXT NOT NULL
                );
                CREATE TABLE IF NOT EXISTS record_csv (seq INTEGER PRIMARY KEY, line TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS record_nodes (node TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (node, seq)) WITHOUT ROWID;
                CREATE TABLE IF NOT EXISTS record_rules (rule TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (rule, seq)) WITHOUT ROWID;
                CREATE TABLE IF NOT EXISTS counts (kind TEXT NOT NULL, key TEXT NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (kind, key)) WITHOUT ROWID;
                CREATE TABLE IF NOT EXISTS unreadable (segment INTEGER NOT NULL, line INTEGER NOT NULL, reason TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS position (
                    id INTEGER PRIMARY KEY CHECK (id = 0),
                    records INTEGER NOT NULL,
                    segment INTEGER NOT NULL,
                    offset INTEGER NOT NULL,
                    line INTEGER NOT NULL,
                    last_hash TEXT
                );
                INSERT OR IGNORE INTO position (id, records, segment, offset, line, last_hash) VALUES (0, 0, 1, 0, 0, NULL);
                """
        )
        try createIndexes(db)
        let found = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
        if found != version {
            // Made by another version (or new): indexed again from the start, in the layout of this one.
            try clear(db)
            try db.execute(sql: "PRAGMA user_version = \(version)")
        }
    }

    /// The secondary indexes of `records`: dropped while a whole log is indexed (building them once at the end is
    /// much faster than keeping them up to date row by row), present otherwise.
    static let indexes = [
        "records_by_message ON records(message_id) WHERE message_id IS NOT NULL",
        "records_by_case ON records(case_id) WHERE case_id IS NOT NULL",
        "records_by_event ON records(event)",
        "records_by_channel ON records(channel) WHERE channel IS NOT NULL",
        "records_by_time ON records(simulated_time)",
    ]

    static func createIndexes(_ db: Database) throws {
        for index in indexes { try db.execute(sql: "CREATE INDEX IF NOT EXISTS \(index)") }
    }

    static func dropIndexes(_ db: Database) throws {
        for index in indexes { try db.execute(sql: "DROP INDEX IF EXISTS \(index.prefix { $0 != " " })") }
    }

    /// Empties every table (the log changed under the index).
    static func clear(_ db: Database) throws {
        try db.execute(
            sql: """
                DELETE FROM records; DELETE FROM record_csv; DELETE FROM record_nodes; DELETE FROM record_rules; DELETE FROM counts;
                DELETE FROM unreadable; UPDATE position SET records = 0, segment = 1, offset = 0, line = 0, last_hash = NULL;
                """
        )
    }
}
