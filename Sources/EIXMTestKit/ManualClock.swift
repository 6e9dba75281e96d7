import EIXMModel
import Synchronization

/// A clock that moves only when a test advances it: sleepers wake when the time they wait for is reached.
public final class ManualClock: ExerciseClock {
    private struct Sleeper {
        let deadline: Timestamp
        let continuation: CheckedContinuation<Void, any Error>
    }

    private let state: Mutex<(now: Timestamp, sleepers: [Sleeper])>

    public init(start: Timestamp = SampleMessages.createdAt) { state = Mutex((start, [])) }

    public var now: Timestamp { state.withLock { $0.now } }

    public func sleep(until deadline: Timestamp) async throws {
        try await withCheckedThrowingContinuation { continuation in
            let ready = state.withLock { state -> Bool in
                if deadline <= state.now { return true }
                state.sleepers.append(Sleeper(deadline: deadline, continuation: continuation))
                return false
            }
            if ready { continuation.resume() }
        }
    }

    /// Moves the clock forward and wakes every sleeper whose time has come.
    public func advance(seconds: Int64) {
        let woken = state.withLock { state -> [Sleeper] in
            state.now = state.now.adding(seconds: seconds)
            let now = state.now
            let due = state.sleepers.filter { $0.deadline <= now }
            state.sleepers.removeAll { $0.deadline <= now }
            return due
        }
        for sleeper in woken { sleeper.continuation.resume() }
    }

    /// How many tasks are waiting on the clock.
    public var sleeperCount: Int { state.withLock { $0.sleepers.count } }
}
