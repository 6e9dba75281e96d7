/// Hands every event to several sinks: the file log, and an in-memory copy for a report.
public struct TeeAuditSink: AuditSink {
    public let sinks: [any AuditSink]

    public init(_ sinks: [any AuditSink]) { self.sinks = sinks }

    public func append(_ events: [AuditEvent]) {
        for sink in sinks { sink.append(events) }
    }
}
