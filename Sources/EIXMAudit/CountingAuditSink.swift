import Synchronization

/// An audit sink that only counts events: for load runs and benchmarks that measure routing, not a log.
public final class CountingAuditSink: AuditSink {
    private let count = Atomic<Int>(0)

    public init() {}

    public func append(_ events: [AuditEvent]) { count.add(events.count, ordering: .relaxed) }

    /// Events appended so far.
    public var events: Int { count.load(ordering: .relaxed) }
}
