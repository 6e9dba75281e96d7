import EIXMModel

/// Tasks suspended until something happens elsewhere, each resumed with a value when it does or when the task is
/// cancelled. The owner changes its own state first and then calls `resumeAll`; a waiter's `ready` check runs under
/// this list's lock, so a change made between the check and the suspension cannot be missed (the lock order is always
/// this list, then the owner's state).
public final class Waiters<Value: Sendable>: Sendable {
    private struct State {
        var next = 0
        var waiting: [Int: CheckedContinuation<Value, Never>] = [:]
    }

    private let state = Locked(State())

    public init() {}

    /// Returns what `ready` gives, at once if it gives a value; else waits for `resumeAll`, or returns `cancelled`
    /// when the task is (or was already) cancelled.
    public func wait(cancelled: Value, ready: () -> Value?) async -> Value {
        let id = state.withLock { state -> Int in
            defer { state.next += 1 }
            return state.next
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let answer = state.withLock { state -> Value? in
                    if let value = ready() { return value }
                    if Task.isCancelled { return cancelled }
                    state.waiting[id] = continuation
                    return nil
                }
                if let answer { continuation.resume(returning: answer) }
            }
        } onCancel: {
            state.withLock { $0.waiting.removeValue(forKey: id) }?.resume(returning: cancelled)
        }
    }

    /// Resumes every waiting task with `value`.
    public func resumeAll(returning value: Value) {
        let waiting = state.withLock { state in
            defer { state.waiting = [:] }
            return Array(state.waiting.values)
        }
        for continuation in waiting { continuation.resume(returning: value) }
    }
}
