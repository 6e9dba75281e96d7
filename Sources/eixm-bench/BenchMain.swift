import ArgumentParser

/// `eixm-bench`: the project's benchmarks, one subcommand per subsystem. Run through `scripts/bench.sh`.
@main
struct BenchMain: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eixm-bench",
        abstract: "Measure eixm's hot paths and print them next to the bound that matters (a signature check).",
        subcommands: [CodecBenchmark.self, RulesBenchmark.self],
        defaultSubcommand: CodecBenchmark.self
    )
}
