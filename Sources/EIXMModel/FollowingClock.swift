/// A node process's clock: it runs at the configured scale from the configured start until the router's first
/// WELCOME, and from then on follows the router's simulated time, taken again from every WELCOME. A node started
/// long after its router, or connected to a router that restarted, sends messages the router does not refuse as
/// replays.
public final class FollowingClock: ExerciseClock {
    private let state: Locked<(base: Timestamp, since: ContinuousClock.Instant, scale: Double)>

    public init(start: Timestamp, scale: Double) {
        state = Locked((start, ContinuousClock.now, scale))
    }

    public var now: Timestamp {
        let (base, since, scale) = state.withLock { ($0.base, $0.since, $0.scale) }
        let elapsed = ContinuousClock.now - since
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Timestamp(millisecondsSinceEpoch: base.millisecondsSinceEpoch + Int64(seconds * scale * 1000))
    }

    public var scale: Double { state.withLock { $0.scale } }

    public func follow(_ time: Timestamp, scale: Double) {
        guard scale.isFinite, scale > 0 else { return }
        state.withLock { $0 = (time, ContinuousClock.now, scale) }
    }

    public func sleep(until deadline: Timestamp) async throws {
        // The router's time may jump (a first WELCOME, a restart): sleep in short steps and look again.
        while true {
            let (remaining, scale) = (
                Double(deadline.millisecondsSinceEpoch - now.millisecondsSinceEpoch) / 1000, state.withLock { $0.scale }
            )
            guard remaining > 0 else { return }
            try await Task.sleep(for: .seconds(min(remaining / scale, 0.25)))
        }
    }
}
