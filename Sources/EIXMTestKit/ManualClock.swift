import EIXMModel
import Synchronization

/// A clock that moves only when a test advances it: sleepers wake when the time they wait for is reached.
public final class ManualClock: ExerciseClock {
    private struct Sleeper {
        let deadline: Timestamp
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now: Timestamp
        var sleepers: [Sleeper] = []
        /// Tests waiting until at least `count` tasks sleep on the clock.
        var watchers: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []

        /// Removes and returns the watchers whose count is reached.
        mutating func satisfiedWatchers() -> [CheckedContinuation<Void, Never>] {
            let count = sleepers.count
            let ready = watchers.filter { $0.count <= count }.map(\.continuation)
            watchers.removeAll { $0.count <= count }
            return ready
        }
    }

    private let state: Mutex<State>

    public init(start: Timestamp = SampleMessages.createdAt) { state = Mutex(State(now: start)) }

    public var now: Timestamp { state.withLock { $0.now } }

    public func sleep(until deadline: Timestamp) async throws {
        try await withCheckedThrowingContinuation { continuation in
            let (ready, watchers) = state.withLock { state -> (Bool, [CheckedContinuation<Void, Never>]) in
                if deadline <= state.now { return (true, []) }
                state.sleepers.append(Sleeper(deadline: deadline, continuation: continuation))
                return (false, state.satisfiedWatchers())
            }
            for watcher in watchers { watcher.resume() }
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

    /// Returns once at least `count` tasks are waiting on the clock.
    public func waitForSleepers(_ count: Int) async {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Bool in
                if state.sleepers.count >= count { return true }
                state.watchers.append((count, continuation))
                return false
            }
            if ready { continuation.resume() }
        }
    }
}
