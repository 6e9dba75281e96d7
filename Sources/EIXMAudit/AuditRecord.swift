import EIXMModel
import Foundation

/// One record of the audit log as read back for queries: the fields people filter and count on, and the line as
/// written.
public struct AuditRecord: Sendable, Decodable {
    public let seq: UInt64
    public let realTime: String
    public let simulatedTime: String
    public let event: String
    public let messageID: String?
    public let caseID: String?
    public let inReplyTo: String?
    public let sender: String?
    public let recipients: [String]?
    public let channel: String?
    public let messageType: String?
    public let handlingCodes: [String]?
    public let containsPersonalData: Bool?
    public let rules: [String]?
    public let reasons: [String]?
    public let claimed: String?
    public let certified: String?
    public let node: String?
    /// Where the record is, and its text.
    public internal(set) var segment = ""
    public internal(set) var line = 0
    public internal(set) var text = ""

    enum CodingKeys: String, CodingKey {
        case seq, event, sender, recipients, channel, rules, reasons, claimed, certified, node
        case realTime = "real_time", simulatedTime = "simulated_time", messageID = "message_id", caseID = "case_id", inReplyTo = "in_reply_to"
        case messageType = "msg_type", handlingCodes = "handling_codes", containsPersonalData = "contains_personal_data"
    }

    /// Every node the record names.
    public var nodes: [String] { [sender, node, claimed, certified].compactMap { $0 } + (recipients ?? []) }
}

/// Reads every record of an audit folder, in order; lines that cannot be read are reported, never skipped silently.
public enum AuditReader {
    public struct Unreadable: Sendable, CustomStringConvertible {
        public let segment: String
        public let line: Int
        public let reason: String
        public var description: String { "\(segment) line \(line): \(reason)" }
    }

    public static func read(directory: URL) throws -> (records: [AuditRecord], unreadable: [Unreadable]) {
        let segments = try AuditSegments.list(directory)
        var records: [AuditRecord] = []
        var unreadable: [Unreadable] = []
        let decoder = JSONDecoder()
        for segment in segments {
            let data = try Data(contentsOf: directory.appendingPathComponent(segment.name))
            for (offset, line) in data.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
                do {
                    var record = try decoder.decode(AuditRecord.self, from: Data(line))
                    record.segment = segment.name
                    record.line = offset + 1
                    record.text = String(decoding: line, as: UTF8.self)
                    records.append(record)
                } catch {
                    unreadable.append(Unreadable(segment: segment.name, line: offset + 1, reason: "not a readable audit record"))
                }
            }
        }
        return (records, unreadable)
    }
}
