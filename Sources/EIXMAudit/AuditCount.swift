/// One count of ``AuditSummary``: how many records of a kind have a key (an event name, a channel, a rule, a sender,
/// a simulated hour, a real second).
public struct AuditCount: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case records, event, channel, rule, sender, deadlineMet, deadlineBreached, hour, second
    }

    public let kind: Kind
    public let key: String
    public let count: Int

    public init(kind: Kind, key: String, count: Int) {
        self.kind = kind
        self.key = key
        self.count = count
    }
}
