import DequeModule
import EIXMModel

/// Frames waiting to be written to one connection, in order, by the connection's writer task, which takes up to
/// `batchLimit` queued frames at once so that a burst goes out in few writes (one TLS record each), and each write
/// completes soon (a connection on which no write completes for a while looks dead). Queueing never waits: a task
/// that reads a connection can answer on it (ACKs, heartbeats) without ever blocking on the peer reading. The queue
/// counts what is queued but not yet written (the backlog), so that a reader can pause while the peer is not
/// reading (`waitForRoom`).
public final class FrameQueue: Sendable {
    private let limit: Int
    private let batchLimit: Int
    private let wakeups: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation
    private let state = Locked<State>(State())

    private struct State {
        var queued: Deque<Frame> = []
        /// The writer has a wake-up pending.
        var signalled = false
        /// Frames taken by the writer and not yet written.
        var inFlight = 0
        /// Tasks waiting for the backlog to fall to a level (at most `level` frames).
        var waiters: [(level: Int, continuation: CheckedContinuation<Void, Never>)] = []
        var closed = false

        var backlog: Int { queued.count + inFlight }
    }

    public init(backlogLimit: Int = .max, batchLimit: Int = 256) {
        limit = backlogLimit
        self.batchLimit = max(batchLimit, 1)
        (wakeups, wake) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Queues frames for writing.
    public func enqueue(_ batch: [Frame]) {
        guard !batch.isEmpty else { return }
        let signal = state.withLock { state -> Bool in
            guard !state.closed else { return false }
            state.queued.append(contentsOf: batch)
            defer { state.signalled = true }
            return !state.signalled
        }
        if signal { wake.yield() }
    }

    /// The writer's loop: hands every queued frame, in order and in batches, to `write`, until the queue closes.
    public func drain(_ write: ([Frame]) async throws -> Void) async throws {
        for await _ in wakeups {
            while true {
                let batch = state.withLock { state -> [Frame] in
                    state.signalled = false
                    let batch = Array(state.queued.prefix(batchLimit))
                    state.queued.removeFirst(batch.count)
                    state.inFlight = batch.count
                    return batch
                }
                guard !batch.isEmpty else { break }
                try await write(batch)
                written()
            }
        }
    }

    private func written() {
        let ready = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.inFlight = 0
            let backlog = state.backlog
            let ready = state.waiters.filter { backlog <= $0.level }.map(\.continuation)
            if !ready.isEmpty { state.waiters.removeAll { backlog <= $0.level } }
            return ready
        }
        for waiter in ready { waiter.resume() }
    }

    /// Suspends while more than the limit waits to be written.
    public func waitForRoom() async { await waitForBacklog(atMost: limit) }

    /// Suspends while more than `level` frames wait to be written (0: until the writer has written all it was
    /// given); returns at once when the queue is closed.
    public func waitForBacklog(atMost level: Int) async {
        await withCheckedContinuation { continuation in
            let wait = state.withLock { state -> Bool in
                guard state.backlog > level, !state.closed else { return false }
                state.waiters.append((level, continuation))
                return true
            }
            if !wait { continuation.resume() }
        }
    }

    /// Ends the writer and releases any waiting reader.
    public func close() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.closed = true
            defer { state.waiters = [] }
            return state.waiters.map(\.continuation)
        }
        wake.finish()
        for waiter in waiters { waiter.resume() }
    }
}
