import ArgumentParser
import EIXMAudit
import EIXMAuditIndex
import EIXMModel
import Foundation

/// `eixm audit query`: find records.
struct AuditQueryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "List audit records matching filters; --message ID shows one message's lifecycle in order.",
        discussion: """
            Answers from the log's SQLite index when it has one (eixm audit index), updated first; otherwise reads \
            the log one segment at a time (never the whole log in memory). A filter that matches nothing \
            says which value the log does not hold, and what it holds. Unreadable lines are reported on standard \
            error, never skipped silently (exit status 2 if any).
            """
    )

    @Argument(help: "A run folder, or its audit/ folder.")
    var directory: String

    @Option(help: "A node named as sender, recipient or party.") var node: String?
    @Option(help: "A channel, e.g. SIENA.") var channel: String?
    @Option(help: "A rule ID or router check, e.g. CH-01 or AUTH.") var rule: String?
    @Option(
        help:
            "An event: accepted, rejected, queued, delivered, acknowledged, nacked, deadline_met, deadline_breached, connection_refused, duplicate, restored, storage_failed, receipt_refused, checkpoint, opened, recovered; received in logs of earlier versions (a message's arrival is now its accepted, rejected or duplicate record)."
    ) var event: String?
    @Option(name: .customLong("case"), help: "A case ID.") var caseID: String?
    @Option(help: "A message ID: its whole lifecycle.") var message: String?
    @Option(help: "Simulated time from (RFC 3339).") var since: String?
    @Option(help: "Simulated time until (RFC 3339).") var until: String?
    @Option(
        name: .customLong("personal-data"),
        help: "true or false: records about messages with (or without) personal data."
    ) var personalData: Bool?
    @Option(help: "table, json (the records as written) or csv.") var format: QueryFormat = .table
    @Option(help: "At most this many records.") var limit: Int?

    static func hint(_ vocabulary: AuditVocabulary, _ query: AuditQuery) {
        for hint in vocabulary.hints(for: query) { FileHandle.standardError.write(Data("hint: \(hint)\n".utf8)) }
    }

    enum QueryFormat: String, ExpressibleByArgument, CaseIterable {
        case table, json, csv
    }

    func validate() throws {
        if let limit, limit < 0 {
            throw ValidationError("--limit: expected a count of records (0 or more), got \(limit).")
        }
        if let message, UUID(uuidString: message) == nil {
            throw ValidationError(
                "--message: '\(message)' is not a message ID (a UUID such as 8a1f3c52-0b7d-4e61-9a20-1122334455a1)."
            )
        }
    }

    func run() async throws {
        var query = AuditQuery()
        query.node = node
        query.channel = channel
        query.rule = rule
        query.event = event
        query.caseID = caseID
        query.messageID = message
        query.personalData = personalData
        for (text, keyPath) in [(since, \AuditQuery.since), (until, \AuditQuery.until)] {
            guard let text else { continue }
            guard let time = Timestamp(rfc3339: text) else {
                throw ValidationError("'\(text)' is not an RFC 3339 time.")
            }
            query[keyPath: keyPath] = time
        }
        let folder = try RunAuditFolder(directory)
        var output = QueryOutput(format: QueryOutput.Format(rawValue: format.rawValue) ?? .table)
        let limit = self.limit ?? .max
        let unreadable: [AuditReader.Unreadable]
        if let index = try AuditIndex.ifPresent(log: folder.audit) {
            try index.update()
            if format == .csv {
                try index.forEachCSVLine(matching: query, limit: limit) { output.addCSVLine($0) }
            } else {
                try index.forEach(matching: query, limit: limit) { row, text in try output.add(row, text: try text()) }
            }
            output.finish()
            if output.count == 0 { Self.hint(try index.vocabulary(), query) }
            unreadable = try index.unreadable()
        } else {
            unreadable = try AuditReader.forEach(directory: folder.audit, containing: query.needles) { record in
                guard output.count < limit, query.matches(record) else { return }
                output.add(AuditRow(record), text: record.text)
            }
            output.finish()
            if output.count == 0, !query.needles.isEmpty {
                // What the log holds, for the hint: a second reading, of every record this time.
                var vocabulary = AuditVocabulary()
                _ = try AuditReader.forEach(directory: folder.audit) { vocabulary.add($0) }
                Self.hint(vocabulary, query)
            }
        }
        for line in unreadable { FileHandle.standardError.write(Data("unreadable: \(line)\n".utf8)) }
        if !unreadable.isEmpty { throw ExitCode(2) }
    }
}
