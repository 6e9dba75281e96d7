import EIXMModel
import EIXMTransport
import Synchronization

/// The router's way to one connected node: frames the router queues for it are written, in order, by the
/// connection's writer task. The link counts what is queued but not yet written (the backlog) so that the
/// connection's reader can pause while the node is not reading.
final class Link: Sendable {
    let node: NodeID
    /// Distinguishes successive connections of the same node.
    let generation: UInt64
    let frames: AsyncStream<[Frame]>
    private let continuation: AsyncStream<[Frame]>.Continuation
    private let limit: Int
    private let gauge = Mutex<(backlog: Int, waiters: [CheckedContinuation<Void, Never>])>((0, []))

    init(node: NodeID, generation: UInt64, backlogLimit: Int) {
        self.node = node
        self.generation = generation
        limit = backlogLimit
        (frames, continuation) = AsyncStream<[Frame]>.makeStream()
    }

    /// Queues frames for writing.
    func enqueue(_ batch: [Frame]) {
        guard !batch.isEmpty else { return }
        gauge.withLock { $0.backlog += batch.count }
        continuation.yield(batch)
    }

    /// The writer wrote `count` frames.
    func written(_ count: Int) {
        let waiters = gauge.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.backlog -= count
            guard state.backlog <= limit else { return [] }
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Suspends while more than the limit waits to be written.
    func waitForRoom() async {
        await withCheckedContinuation { continuation in
            let wait = gauge.withLock { state -> Bool in
                guard state.backlog > limit else { return false }
                state.waiters.append(continuation)
                return true
            }
            if !wait { continuation.resume() }
        }
    }

    /// Ends the writer and releases any waiting reader.
    func close() {
        continuation.finish()
        let waiters = gauge.withLock { state -> [CheckedContinuation<Void, Never>] in
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}
