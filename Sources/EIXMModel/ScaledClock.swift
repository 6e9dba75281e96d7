import Foundation

/// Simulated time that runs `scale` times faster than real time from a starting point: with scale 3600 one real
/// second is one simulated hour, so an 8-hour deadline passes in 8 seconds.
///
/// A clock made `paused` stands still at its start until ``begin()``: an exercise starts its time once its nodes are
/// connected, so a slow start-up costs no simulated time. Copies share one origin.
public struct ScaledClock: ExerciseClock {
    public let start: Timestamp
    public let scale: Double
    private let origin: Origin

    /// When simulated time began to run; `nil` while paused.
    private final class Origin: Sendable {
        let instant: Locked<ContinuousClock.Instant?>

        init(_ instant: ContinuousClock.Instant?) { self.instant = Locked(instant) }
    }

    public init(start: Timestamp, scale: Double, paused: Bool = false) {
        precondition(scale > 0, "the time scale must be positive")
        self.start = start
        self.scale = scale
        origin = Origin(paused ? nil : ContinuousClock.now)
    }

    /// A clock that has run since `realStart` (wall-clock time), as if it had never stopped: a restarted router's
    /// time goes on from where the run's began, its downtime included.
    public init(start: Timestamp, scale: Double, since realStart: Date) {
        self.init(start: start, scale: scale)
        let elapsed = max(0, Date().timeIntervalSince(realStart))
        origin.instant.withLock { $0 = ContinuousClock.now - .seconds(elapsed) }
    }

    /// Starts a paused clock (no effect on a running one).
    public func begin() {
        origin.instant.withLock { instant in if instant == nil { instant = ContinuousClock.now } }
    }

    public var now: Timestamp {
        guard let began = origin.instant.withLock({ $0 }) else { return start }
        let elapsed = ContinuousClock.now - began
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Timestamp(millisecondsSinceEpoch: start.millisecondsSinceEpoch + Int64(seconds * scale * 1000))
    }

    /// Real seconds for a simulated duration.
    public func realSeconds(forSimulated seconds: Double) -> Double { seconds / scale }

    /// Sleeps until the simulated `deadline`; while the clock is paused, until it runs and then reaches it.
    public func sleep(until deadline: Timestamp) async throws {
        while origin.instant.withLock({ $0 }) == nil {
            try await Task.sleep(for: .milliseconds(20))
        }
        let remaining = Double(deadline.millisecondsSinceEpoch - now.millisecondsSinceEpoch) / 1000
        guard remaining > 0 else { return }
        try await Task.sleep(for: .seconds(remaining / scale))
    }
}
