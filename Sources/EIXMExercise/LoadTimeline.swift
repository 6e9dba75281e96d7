import Foundation

// `timespec`'s fields come through CoreFoundation's copy of the C headers in some build configurations.
#if canImport(CoreFoundation)
import CoreFoundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// The time line of a load run: nanoseconds since the Unix epoch, read from the system clock once at the origin and
/// advanced by the monotonic clock from then on. Load processes on one machine (`--shard`) share it, so that a
/// message's intended send time, written into its body by one process, means the same in the process that
/// receives it.
struct LoadTimeline: Sendable {
    let origin: ContinuousClock.Instant
    /// The system clock at the origin, in nanoseconds since the Unix epoch.
    let epochNanoseconds: UInt64

    init() {
        origin = ContinuousClock.now
        var time = Glibc.timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        epochNanoseconds = UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    /// An instant of the monotonic clock on the time line.
    func nanoseconds(_ instant: ContinuousClock.Instant) -> UInt64 {
        epochNanoseconds + Self.nanoseconds(instant - origin)
    }

    var now: UInt64 { nanoseconds(.now) }

    /// A duration in whole nanoseconds (0 for a negative one).
    static func nanoseconds(_ duration: Duration) -> UInt64 {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0, attoseconds >= 0 else { return 0 }
        return UInt64(seconds) * 1_000_000_000 + UInt64(attoseconds) / 1_000_000_000
    }
}
