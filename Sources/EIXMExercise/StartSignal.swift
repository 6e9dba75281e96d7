import Synchronization

/// Counts the nodes that are connected and lets them wait for the traffic's common start; says when it ends, or
/// that it was stopped early.
final class StartSignal: Sendable {
    private struct State {
        var connected = 0
        var traffic: Range<ContinuousClock.Instant>?
        var stopped = false
        var waiters: [CheckedContinuation<Range<ContinuousClock.Instant>, Never>] = []
        var counters: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []
    }

    private let state = Mutex(State())

    /// A node is connected; it then waits for the traffic's start and learns its end.
    func connected() async -> Range<ContinuousClock.Instant> {
        let ready = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.connected += 1
            let ready = state.counters.filter { $0.count <= state.connected }.map(\.continuation)
            state.counters.removeAll { $0.count <= state.connected }
            return ready
        }
        for continuation in ready { continuation.resume() }
        return await withCheckedContinuation { continuation in
            let traffic = state.withLock { state -> Range<ContinuousClock.Instant>? in
                if state.traffic == nil { state.waiters.append(continuation) }
                return state.traffic
            }
            if let traffic { continuation.resume(returning: traffic) }
        }
    }

    /// Returns once `count` nodes are connected, or the traffic has started.
    func waitForConnections(_ count: Int) async {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Bool in
                if state.connected >= count || state.traffic != nil { return true }
                state.counters.append((count, continuation))
                return false
            }
            if ready { continuation.resume() }
        }
    }

    var connectedCount: Int { state.withLock { $0.connected } }

    /// Starts the traffic for every node connected now or later; whoever still waits for connections stops waiting.
    func fire(_ traffic: Range<ContinuousClock.Instant>) {
        let (waiters, counters) = state.withLock { state in
            state.traffic = traffic
            defer {
                state.waiters = []
                state.counters = []
            }
            return (state.waiters, state.counters.map(\.continuation))
        }
        for waiter in waiters { waiter.resume(returning: traffic) }
        for counter in counters { counter.resume() }
    }

    /// Ends the traffic early (Ctrl-C).
    func stop() { state.withLock { $0.stopped = true } }

    var isStopped: Bool { state.withLock { $0.stopped } }
}
