import EIXMModel
import Synchronization

/// Hands every event to several sinks: the file log, and an in-memory copy for a report.
public struct TeeAuditSink: AuditSink {
    public let sinks: [any AuditSink]

    public init(_ sinks: [any AuditSink]) { self.sinks = sinks }

    public func append(_ events: [AuditEvent]) {
        for sink in sinks { sink.append(events) }
    }

    /// Stored once every sink has stored; failed as soon as one fails.
    public func whenStored(_ done: @escaping @Sendable (StorageOutcome) -> Void) {
        let barrier = StorageBarrier(parts: sinks.count, done)
        for sink in sinks { sink.whenStored(barrier.arrive) }
    }
}
