extension Duration {
    /// Whole microseconds, negative durations as zero: what the latency histograms record.
    public var wholeMicroseconds: UInt64 {
        UInt64(max(0, components.seconds * 1_000_000 + components.attoseconds / 1_000_000_000_000))
    }
}
