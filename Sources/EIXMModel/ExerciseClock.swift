/// The time every component reads: simulated time, so that an exercise can play days of deadlines in seconds.
/// Injected everywhere; tests use a manual clock and never sleep.
public protocol ExerciseClock: Sendable {
    /// The simulated time now.
    var now: Timestamp { get }
    /// Suspends until the simulated time is at least `deadline`.
    func sleep(until deadline: Timestamp) async throws
}

extension ExerciseClock {
    /// Suspends for a simulated duration.
    public func sleep(seconds: Double) async throws {
        try await sleep(until: Timestamp(millisecondsSinceEpoch: now.millisecondsSinceEpoch + Int64(seconds * 1000)))
    }
}
