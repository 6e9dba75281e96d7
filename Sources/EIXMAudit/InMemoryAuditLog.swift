import EIXMModel

/// An audit sink that keeps events in memory (up to a limit), for tests and short exercises.
public final class InMemoryAuditLog: AuditSink {
    private let state: Locked<(events: [AuditEvent], dropped: Int)>
    public let limit: Int

    public init(limit: Int = 1_000_000) {
        self.limit = limit
        state = Locked(([], 0))
    }

    public func append(_ events: [AuditEvent]) {
        state.withLock { state in
            let room = max(0, limit - state.events.count)
            state.events.append(contentsOf: events.prefix(room))
            state.dropped += max(0, events.count - room)
        }
    }

    public var events: [AuditEvent] { state.withLock { $0.events } }

    /// Events that did not fit under the limit.
    public var dropped: Int { state.withLock { $0.dropped } }
}
