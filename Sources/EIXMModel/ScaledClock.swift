/// Simulated time that runs `scale` times faster than real time from a starting point: with scale 3600 one real
/// second is one simulated hour, so an 8-hour deadline passes in 8 seconds.
public struct ScaledClock: ExerciseClock {
    public let start: Timestamp
    public let scale: Double
    private let origin: ContinuousClock.Instant

    public init(start: Timestamp, scale: Double) {
        precondition(scale > 0, "the time scale must be positive")
        self.start = start
        self.scale = scale
        origin = ContinuousClock.now
    }

    public var now: Timestamp {
        let elapsed = ContinuousClock.now - origin
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Timestamp(millisecondsSinceEpoch: start.millisecondsSinceEpoch + Int64(seconds * scale * 1000))
    }

    /// Real seconds for a simulated duration.
    public func realSeconds(forSimulated seconds: Double) -> Double { seconds / scale }

    public func sleep(until deadline: Timestamp) async throws {
        let remaining = Double(deadline.millisecondsSinceEpoch - now.millisecondsSinceEpoch) / 1000
        guard remaining > 0 else { return }
        try await Task.sleep(for: .seconds(remaining / scale))
    }
}
