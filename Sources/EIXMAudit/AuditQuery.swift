import EIXMModel

/// A filter over audit records: every condition given must hold.
public struct AuditQuery: Sendable {
    public var node: String?
    public var channel: String?
    public var rule: String?
    public var event: String?
    public var caseID: String?
    public var messageID: String?
    /// Simulated time bounds, inclusive.
    public var since: Timestamp?
    public var until: Timestamp?
    public var personalData: Bool?

    public init() {}

    /// Byte strings every matching record's line holds (a filter's value as the log writes it, quoted): lines
    /// without them need not be decoded. Values that JSON would escape give none.
    public var needles: [[UInt8]] {
        func quoted(_ prefix: String, _ value: String?) -> [UInt8]? {
            guard let value, !value.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) else { return nil }
            return Array((prefix + "\"" + value + "\"").utf8)
        }
        return [
            quoted("", node), quoted(#""channel":"#, channel), quoted("", rule), quoted(#""event":"#, event),
            quoted(#""case_id":"#, caseID), quoted(#""message_id":"#, messageID?.lowercased()),
        ].compactMap { $0 }
    }

    public func matches(_ record: AuditRecord) -> Bool {
        if let node, !record.nodes.contains(node) { return false }
        if let channel, record.channel != channel { return false }
        if let rule, !(record.rules ?? []).contains(rule) { return false }
        if let event, record.event != event { return false }
        if let caseID, record.caseID != caseID { return false }
        if let messageID, record.messageID != messageID.lowercased() { return false }
        if let personalData, (record.containsPersonalData ?? false) != personalData { return false }
        if since != nil || until != nil {
            guard let time = Timestamp(rfc3339: record.simulatedTime) else { return false }
            if let since, time < since { return false }
            if let until, time > until { return false }
        }
        return true
    }
}
