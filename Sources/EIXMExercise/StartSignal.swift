import Synchronization

/// Counts the nodes that are connected and lets them wait for the traffic's common start; says when it ends, or
/// that it was stopped early.
final class StartSignal: Sendable {
    private struct State {
        var connected = 0
        var traffic: Range<ContinuousClock.Instant>?
        var stopped = false
        var waiters: [CheckedContinuation<Range<ContinuousClock.Instant>, Never>] = []
        var counters: [(id: Int, count: Int, continuation: CheckedContinuation<Void, Never>)] = []
        var nextID = 0
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

    /// Returns once `count` nodes are connected, the traffic has started, or the waiting task is cancelled (a node
    /// that never connects, refused or unreachable, must not keep the run from starting or ending).
    func waitForConnections(_ count: Int) async {
        let id = state.withLock { state -> Int in
            defer { state.nextID += 1 }
            return state.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let ready = state.withLock { state -> Bool in
                    if state.connected >= count || state.traffic != nil || Task.isCancelled { return true }
                    state.counters.append((id, count, continuation))
                    return false
                }
                if ready { continuation.resume() }
            }
        } onCancel: {
            let waiting = state.withLock { state -> CheckedContinuation<Void, Never>? in
                guard let index = state.counters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.counters.remove(at: index).continuation
            }
            waiting?.resume()
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
