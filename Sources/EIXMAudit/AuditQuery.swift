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
