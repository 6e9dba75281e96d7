import ArgumentParser
import EIXMAudit
import EIXMModel
import Foundation

/// `eixm audit query`: find records.
struct AuditQueryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "List audit records matching filters; --message ID shows one message's lifecycle in order.",
        discussion: "Unreadable lines are reported on standard error, never skipped silently (exit status 2 if any)."
    )

    @Argument(help: "The audit folder.")
    var directory: String

    @Option(help: "A node named as sender, recipient or party.") var node: String?
    @Option(help: "A channel, e.g. SIENA.") var channel: String?
    @Option(help: "A rule ID or router check, e.g. CH-01 or AUTH.") var rule: String?
    @Option(
        help:
            "An event: received, accepted, rejected, queued, delivered, acknowledged, nacked, deadline_met, deadline_breached, connection_refused, checkpoint, opened, recovered."
    ) var event: String?
    @Option(name: .customLong("case"), help: "A case ID.") var caseID: String?
    @Option(help: "A message ID: its whole lifecycle.") var message: String?
    @Option(help: "Simulated time from (RFC 3339).") var since: String?
    @Option(help: "Simulated time until (RFC 3339).") var until: String?
    @Option(
        name: .customLong("personal-data"),
        help: "true or false: records about messages with (or without) personal data."
    ) var personalData: Bool?
    @Option(help: "table, json or csv.") var format: QueryFormat = .table
    @Option(help: "At most this many records.") var limit: Int?

    enum QueryFormat: String, ExpressibleByArgument, CaseIterable {
        case table, json, csv
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
        let (records, unreadable) = try AuditReader.read(directory: URL(fileURLWithPath: directory))
        var matches = records.filter(query.matches)
        if let limit { matches = Array(matches.prefix(limit)) }
        switch format {
        case .json:
            for record in matches { print(record.text) }
        case .csv:
            print("seq,simulated_time,event,message_id,case_id,sender,recipients,channel,msg_type,rules")
            for record in matches { print(Self.row(record).map(Self.csv).joined(separator: ",")) }
        case .table:
            print(
                ["seq", "simulated time", "event", "message", "sender", "recipients", "channel", "type", "rules"]
                    .joined(separator: "  ")
            )
            for record in matches { print(Self.row(record).joined(separator: "  ")) }
            print("\(matches.count) record(s)")
        }
        for line in unreadable { FileHandle.standardError.write(Data("unreadable: \(line)\n".utf8)) }
        if !unreadable.isEmpty { throw ExitCode(2) }
    }

    static func row(_ record: AuditRecord) -> [String] {
        [
            "\(record.seq)", record.simulatedTime, record.event, record.messageID ?? "-", record.caseID ?? "-",
            record.sender ?? "-",
            (record.recipients ?? record.node.map { [$0] } ?? []).joined(separator: " "), record.channel ?? "-",
            record.messageType ?? "-",
            (record.rules ?? []).joined(separator: " "),
        ]
    }

    static func csv(_ field: String) -> String {
        field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" })
            ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
    }
}
