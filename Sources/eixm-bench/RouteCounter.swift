import EIXMAudit
import EIXMRouter
import Synchronization

/// A counter shared by the benchmark's recipient tasks.
final class RouteCounter: Sendable {
    private let count = Atomic<Int>(0)

    func increment() { count.add(1, ordering: .relaxed) }

    var value: Int { count.load(ordering: .relaxed) }
}

/// An audit sink that only counts, so that the benchmark measures routing, not memory growth.
final class CountingAuditSink: AuditSink {
    private let count = Atomic<Int>(0)

    func append(_ events: [AuditEvent]) { count.add(events.count, ordering: .relaxed) }
}
