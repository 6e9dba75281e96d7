import Foundation

/// One record as `eixm audit query` prints it in a table or CSV: the fields people read, as text ("-" for none;
/// lists joined with spaces, reasons with " | ").
public struct AuditRow: Sendable, Hashable {
    public static let titles = [
        "seq", "simulated time", "event", "message", "case", "sender", "recipients", "channel", "type", "rules",
        "reasons",
    ]
    public static let csvTitles = [
        "seq", "simulated_time", "event", "message_id", "case_id", "sender", "recipients", "channel", "msg_type",
        "rules", "reasons",
    ]

    public let fields: [String]

    public init(fields: [String]) { self.fields = fields }

    public init(_ record: AuditRecord) {
        fields = [
            "\(record.seq)", record.simulatedTime, record.event, record.messageID ?? "-", record.caseID ?? "-",
            record.sender ?? "-", Self.list(record.recipients ?? record.node.map { [$0] } ?? []),
            record.channel ?? "-", record.messageType ?? "-", Self.list(record.rules ?? []),
            (record.reasons ?? []).isEmpty ? "-" : (record.reasons ?? []).joined(separator: " | "),
        ]
    }

    static func list(_ values: [String]) -> String { values.isEmpty ? "-" : values.joined(separator: " ") }

    /// The row as a CSV line, without its line break: fields quoted when they hold a comma, quote or line break,
    /// quotes doubled (RFC 4180).
    public var csvLine: String {
        fields.map { field in
            guard field.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else {
                return field
            }
            return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }.joined(separator: ",")
    }
}
