import EIXMModel
import EIXMTransport

/// Counts the nodes that are connected and lets them wait for the traffic's common start; says when it ends, or
/// that it was stopped early.
final class StartSignal: Sendable {
    private struct State {
        var connected = 0
        var traffic: Range<ContinuousClock.Instant>?
        var stopped = false
        var waiters: [CheckedContinuation<Range<ContinuousClock.Instant>, Never>] = []
    }

    private let state = Locked(State())
    /// Tasks waiting for a number of connections: woken at each connection and at the start to look again.
    private let counters = Waiters<Bool>()

    /// A node is connected; it then waits for the traffic's start and learns its end.
    func connected() async -> Range<ContinuousClock.Instant> {
        state.withLock { $0.connected += 1 }
        counters.resumeAll(returning: false)
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
        while await !counters.wait(
            cancelled: true,
            ready: { state.withLock { $0.connected >= count || $0.traffic != nil } ? true : nil }
        ) {}
    }

    var connectedCount: Int { state.withLock { $0.connected } }

    /// Starts the traffic for every node connected now or later; whoever still waits for connections stops waiting.
    func fire(_ traffic: Range<ContinuousClock.Instant>) {
        let waiters = state.withLock { state in
            state.traffic = traffic
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: traffic) }
        counters.resumeAll(returning: false)
    }

    /// Ends the traffic early (Ctrl-C).
    func stop() { state.withLock { $0.stopped = true } }

    var isStopped: Bool { state.withLock { $0.stopped } }
}
