import EIXMModel
import EIXMTransport
import Synchronization

/// The router's way to one connected node: frames the router queues for it are written, in order, by the
/// connection's writer task, which takes everything queued at once so that a burst goes out as one write (one
/// TLS record). The link counts what is queued but not yet written (the backlog) so that the connection's reader
/// can pause while the node is not reading.
final class Link: Sendable {
    let node: NodeID
    /// Distinguishes successive connections of the same node.
    let generation: UInt64
    private let limit: Int
    private let wakeups: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation
    private let state = Mutex<State>(State())

    private struct State {
        var queued: [Frame] = []
        /// The writer has a wake-up pending.
        var signalled = false
        /// Frames taken by the writer and not yet written.
        var inFlight = 0
        var waiters: [CheckedContinuation<Void, Never>] = []
        var closed = false

        var backlog: Int { queued.count + inFlight }
    }

    init(node: NodeID, generation: UInt64, backlogLimit: Int) {
        self.node = node
        self.generation = generation
        limit = backlogLimit
        (wakeups, wake) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Queues frames for writing.
    func enqueue(_ batch: [Frame]) {
        guard !batch.isEmpty else { return }
        let signal = state.withLock { state -> Bool in
            guard !state.closed else { return false }
            state.queued.append(contentsOf: batch)
            defer { state.signalled = true }
            return !state.signalled
        }
        if signal { wake.yield() }
    }

    /// The writer's loop: hands every queued frame, in order, to `write`, until the link closes.
    func drain(_ write: ([Frame]) async throws -> Void) async throws {
        for await _ in wakeups {
            while true {
                let batch = state.withLock { state -> [Frame] in
                    state.signalled = false
                    defer {
                        state.inFlight = state.queued.count
                        state.queued = []
                    }
                    return state.queued
                }
                guard !batch.isEmpty else { break }
                try await write(batch)
                written()
            }
        }
    }

    private func written() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.inFlight = 0
            guard state.backlog <= limit else { return [] }
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Suspends while more than the limit waits to be written.
    func waitForRoom() async {
        await withCheckedContinuation { continuation in
            let wait = state.withLock { state -> Bool in
                guard state.backlog > limit, !state.closed else { return false }
                state.waiters.append(continuation)
                return true
            }
            if !wait { continuation.resume() }
        }
    }

    /// Ends the writer and releases any waiting reader.
    func close() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.closed = true
            defer { state.waiters = [] }
            return state.waiters
        }
        wake.finish()
        for waiter in waiters { waiter.resume() }
    }
}
