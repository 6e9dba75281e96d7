import EIXMModel

/// Counts over an audit log, for `eixm audit stats`.
public struct AuditSummary: Sendable, Encodable {
    public var records = 0
    public var byEvent: [String: Int] = [:]
    public var byChannel: [String: Int] = [:]
    public var byRule: [String: Int] = [:]
    public var bySender: [String: Int] = [:]
    public var deadlinesMet: [String: Int] = [:]
    public var deadlinesBreached: [String: Int] = [:]
    /// Messages received per simulated hour (RFC 3339 hour prefix).
    public var receivedPerHour: [String: Int] = [:]
    /// Messages received per real second: the busiest second and the average over the seconds with traffic.
    public var peakPerSecond = 0
    public var averagePerSecond = 0.0

    public init(_ records: [AuditRecord]) {
        var perSecond: [String: Int] = [:]
        for record in records {
            self.records += 1
            byEvent[record.event, default: 0] += 1
            switch record.event {
            case "received":
                if let channel = record.channel { byChannel[channel, default: 0] += 1 }
                if let sender = record.sender { bySender[sender, default: 0] += 1 }
                receivedPerHour[String(record.simulatedTime.prefix(13)), default: 0] += 1
                perSecond[String(record.realTime.prefix(19)), default: 0] += 1
            case "rejected", "connection_refused":
                for rule in record.rules ?? [] { byRule[rule, default: 0] += 1 }
            case "deadline_met":
                for rule in record.rules ?? [] { deadlinesMet[rule, default: 0] += 1 }
            case "deadline_breached":
                for rule in record.rules ?? [] { deadlinesBreached[rule, default: 0] += 1 }
            default:
                break
            }
        }
        peakPerSecond = perSecond.values.max() ?? 0
        averagePerSecond = perSecond.isEmpty ? 0 : Double(perSecond.values.reduce(0, +)) / Double(perSecond.count)
    }
}
