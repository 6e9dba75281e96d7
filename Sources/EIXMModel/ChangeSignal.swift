/// Says that something others wait on has changed (a queue shrank, an answer came, a connection opened), so that a
/// waiter checks its condition again when it may have become true, instead of polling on a timer. Each change bumps
/// a version: a waiter reads the version, checks its condition, and waits for a change after that version, so that a
/// change between the check and the wait is never missed.
public final class ChangeSignal: Sendable {
    private struct State {
        var version: UInt64 = 0
        var waiting: [UInt64: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter: UInt64 = 0
    }

    private let state = Locked(State())

    public init() {}

    /// The number of changes so far.
    public var version: UInt64 { state.withLock { $0.version } }

    /// Something changed: wakes every waiter. Cheap when nobody waits (one lock).
    public func changed() {
        let waiting = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.version &+= 1
            guard !state.waiting.isEmpty else { return [] }
            defer { state.waiting = [:] }
            return Array(state.waiting.values)
        }
        for continuation in waiting { continuation.resume() }
    }

    /// Suspends until a change after `version` (at once if there was one), the task is cancelled, or `deadline`
    /// passes; `false` when no change came (cancelled, or past the deadline).
    public func wait(after version: UInt64, until deadline: ContinuousClock.Instant) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask { await self.change(after: version) }
            group.addTask {
                try? await Task.sleep(until: deadline)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first && !Task.isCancelled
        }
    }

    /// Suspends until a change after `version`, or until cancelled (`false`).
    private func change(after version: UInt64) async -> Bool {
        let waiter = state.withLock { state -> UInt64 in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { state -> Bool in
                    if state.version != version || Task.isCancelled { return true }
                    state.waiting[waiter] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let continuation = state.withLock { $0.waiting.removeValue(forKey: waiter) }
            continuation?.resume()
        }
        return !Task.isCancelled
    }
}
