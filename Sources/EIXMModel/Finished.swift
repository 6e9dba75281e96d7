import Dispatch

/// Something that happens once, such as a writer thread ending: a thread can block until it has happened, a task can
/// suspend until it has (without holding a thread of the cooperative pool), and both return at once afterwards.
public final class Finished: Sendable {
    private let state = Locked<(done: Bool, waiting: [CheckedContinuation<Void, Never>])>((false, []))
    private let semaphore = DispatchSemaphore(value: 0)

    public init() {}

    /// It has happened: wakes every waiter, now and later.
    public func signal() {
        let waiting = state.withLock { state in
            defer { state = (true, []) }
            return state.done ? [] : state.waiting
        }
        semaphore.signal()
        for continuation in waiting { continuation.resume() }
    }

    /// Blocks the calling thread until it has happened (never call from a task: use the async `wait()`).
    public func wait() {
        semaphore.wait()
        // Passed on, for the next thread that waits.
        semaphore.signal()
    }

    /// Suspends the calling task until it has happened.
    public func wait() async {
        await withCheckedContinuation { continuation in
            let done = state.withLock { state in
                if !state.done { state.waiting.append(continuation) }
                return state.done
            }
            if done { continuation.resume() }
        }
    }
}
