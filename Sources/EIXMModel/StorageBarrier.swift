/// Waits for several stores to report: calls `done` once, with `.stored` when every part stored, or with the first
/// failure as soon as one part fails.
public final class StorageBarrier: Sendable {
    private let state: Locked<(remaining: Int, finished: Bool)>
    private let done: @Sendable (StorageOutcome) -> Void

    public init(parts: Int, _ done: @escaping @Sendable (StorageOutcome) -> Void) {
        state = Locked((parts, false))
        self.done = done
        if parts == 0 { arrive(.stored) }
    }

    @Sendable public func arrive(_ outcome: StorageOutcome) {
        let report = state.withLock { state -> StorageOutcome? in
            guard !state.finished else { return nil }
            state.remaining -= 1
            if case .failed = outcome {
                state.finished = true
                return outcome
            }
            guard state.remaining <= 0 else { return nil }
            state.finished = true
            return .stored
        }
        if let report { done(report) }
    }
}
