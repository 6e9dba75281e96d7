import EIXMModel
import Histogram

/// Latencies recorded from several tasks into one HdrHistogram (microseconds).
final class LatencyRecorder: Sendable {
    private let histogram = Locked(
        Histogram<UInt64>(
            lowestDiscernibleValue: 1,
            highestTrackableValue: 60_000_000,
            numberOfSignificantValueDigits: .three
        )
    )

    func record(_ duration: Duration) {
        _ = histogram.withLock { $0.record(min(max(duration.wholeMicroseconds, 1), 60_000_000)) }
    }

    /// The latency at `percentile` (0 to 100), in milliseconds.
    func milliseconds(at percentile: Double) -> Double {
        histogram.withLock { Double($0.valueAtPercentile(percentile)) / 1000 }
    }

    var count: UInt64 { histogram.withLock { $0.totalCount } }
}
