import ArgumentParser

/// Times a body over several rounds and keeps the fastest round: on a shared machine the fastest round is the one
/// least disturbed by other work. Every benchmark takes it as an option group (`--rounds`).
struct Stopwatch: ParsableArguments {
    @Option(help: "Rounds; the fastest is reported.")
    var rounds = 5

    /// Seconds per operation in the fastest of `rounds` rounds of `operations` calls.
    func secondsPerOperation(operations: Int, _ body: () throws -> Void) rethrows -> Double {
        let clock = ContinuousClock()
        var best = Double.infinity
        for _ in 0..<rounds {
            let start = clock.now
            for _ in 0..<operations { try body() }
            let elapsed = clock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            best = min(best, seconds / Double(operations))
        }
        return best
    }
}

/// Keeps a value alive so that the optimiser cannot drop the work that made it.
@inline(never)
func blackHole<Value>(_ value: Value) {
    withExtendedLifetime(value) {}
}
