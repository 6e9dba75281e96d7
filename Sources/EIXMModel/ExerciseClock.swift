/// The time every component reads: simulated time, so that an exercise can play days of deadlines in seconds.
/// Injected everywhere; tests use a manual clock and never sleep.
public protocol ExerciseClock: Sendable {
    /// The simulated time now.
    var now: Timestamp { get }
    /// How many times faster than real time simulated time runs (1 for a clock moved by hand).
    var scale: Double { get }
    /// Suspends until the simulated time is at least `deadline`.
    func sleep(until deadline: Timestamp) async throws
    /// The router says its simulated time is `time` now, running `scale` times faster than real time (its
    /// WELCOME). A clock of its own in another process follows it; a clock the router shares ignores it.
    func follow(_ time: Timestamp, scale: Double)
}

extension ExerciseClock {
    public var scale: Double { 1 }

    public func follow(_ time: Timestamp, scale: Double) {}

    /// Suspends for a simulated duration.
    public func sleep(seconds: Double) async throws {
        try await sleep(until: Timestamp(millisecondsSinceEpoch: now.millisecondsSinceEpoch + Int64(seconds * 1000)))
    }
}
