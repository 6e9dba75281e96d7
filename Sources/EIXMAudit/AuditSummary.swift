import EIXMModel

/// Counts over an audit log, for `eixm audit stats`: built record by record (``add(_:)``), so that a log of any
/// size is summarised without holding it.
public struct AuditSummary: Sendable, Encodable {
    public var records = 0
    public var byEvent: [String: Int] = [:]
    public var byChannel: [String: Int] = [:]
    public var byRule: [String: Int] = [:]
    public var bySender: [String: Int] = [:]
    public var deadlinesMet: [String: Int] = [:]
    public var deadlinesBreached: [String: Int] = [:]
    /// Messages received per simulated hour (RFC 3339 hour prefix, e.g. `2026-11-29T08`).
    public var receivedPerHour: [String: Int] = [:]
    /// Messages received per real second (RFC 3339 second prefix).
    var receivedPerSecond: [String: Int] = [:]

    enum CodingKeys: String, CodingKey {
        case records
        case byEvent = "by_event"
        case byChannel = "by_channel"
        case byRule = "by_rule"
        case bySender = "by_sender"
        case deadlinesMet = "deadlines_met"
        case deadlinesBreached = "deadlines_breached"
        case receivedPerHour = "received_per_hour"
        case peakPerSecond = "peak_per_second"
        case averagePerSecond = "average_per_second"
    }

    public init() {}

    public init(_ records: some Sequence<AuditRecord>) {
        for record in records { add(record) }
    }

    public mutating func add(_ record: AuditRecord) {
        records += 1
        byEvent[record.event, default: 0] += 1
        if record.isArrival {
            if let channel = record.channel { byChannel[channel, default: 0] += 1 }
            if let sender = record.sender { bySender[sender, default: 0] += 1 }
            receivedPerHour[String(record.simulatedTime.prefix(13)), default: 0] += 1
            receivedPerSecond[String(record.realTime.prefix(19)), default: 0] += 1
        }
        switch record.event {
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

    /// Counts kept elsewhere (an index), by the kinds of ``AuditCount``.
    public mutating func add(count: Int, kind: AuditCount.Kind, key: String) {
        switch kind {
        case .records: records += count
        case .event: byEvent[key, default: 0] += count
        case .channel: byChannel[key, default: 0] += count
        case .rule: byRule[key, default: 0] += count
        case .sender: bySender[key, default: 0] += count
        case .deadlineMet: deadlinesMet[key, default: 0] += count
        case .deadlineBreached: deadlinesBreached[key, default: 0] += count
        case .hour: receivedPerHour[key, default: 0] += count
        case .second: receivedPerSecond[key, default: 0] += count
        }
    }

    /// The busiest real second's received messages, and the average over the seconds with traffic.
    public var peakPerSecond: Int { receivedPerSecond.values.max() ?? 0 }
    public var averagePerSecond: Double {
        receivedPerSecond.isEmpty ? 0 : Double(receivedPerSecond.values.reduce(0, +)) / Double(receivedPerSecond.count)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(records, forKey: .records)
        try container.encode(byEvent, forKey: .byEvent)
        try container.encode(byChannel, forKey: .byChannel)
        try container.encode(byRule, forKey: .byRule)
        try container.encode(bySender, forKey: .bySender)
        try container.encode(deadlinesMet, forKey: .deadlinesMet)
        try container.encode(deadlinesBreached, forKey: .deadlinesBreached)
        try container.encode(receivedPerHour, forKey: .receivedPerHour)
        try container.encode(peakPerSecond, forKey: .peakPerSecond)
        try container.encode(averagePerSecond, forKey: .averagePerSecond)
    }

    /// The counts a record adds, by kind and key: what an index keeps so that it can answer ``AuditSummary``
    /// without reading the log.
    public static func counts(of record: AuditRecord) -> [AuditCount] {
        var summary = AuditSummary()
        summary.add(record)
        var counts: [AuditCount] = []
        for (kind, table) in [
            (AuditCount.Kind.event, summary.byEvent), (.channel, summary.byChannel), (.rule, summary.byRule),
            (.sender, summary.bySender), (.deadlineMet, summary.deadlinesMet),
            (.deadlineBreached, summary.deadlinesBreached), (.hour, summary.receivedPerHour),
            (.second, summary.receivedPerSecond),
        ] {
            for (key, count) in table { counts.append(AuditCount(kind: kind, key: key, count: count)) }
        }
        return counts
    }
}
