import Histogram

extension Histogram where Count == UInt64 {
    /// The percentiles reports quote (p50, p90, p99, p99.9) and the maximum; empty when nothing was recorded.
    public var summary: [String: Double] {
        guard totalCount > 0 else { return [:] }
        var figures: [String: Double] = [:]
        for (name, percentile) in [("p50", 50.0), ("p90", 90.0), ("p99", 99.0), ("p99.9", 99.9)] {
            figures[name] = Double(valueAtPercentile(percentile))
        }
        figures["max"] = Double(max)
        return figures
    }
}
