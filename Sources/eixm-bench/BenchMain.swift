import ArgumentParser
import EIXMTransportNIO

/// The entry point: NIO's event loops run Swift Concurrency's jobs, as in `eixm`.
@main
struct BenchEntry {
    static func main() async {
        ConcurrencyExecutor.adoptEventLoops()
        await BenchMain.main()
    }
}

/// `eixm-bench`: the project's benchmarks, one subcommand per subsystem. Run through `scripts/bench.sh`.
struct BenchMain: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eixm-bench",
        abstract: "Measure eixm's hot paths and print them next to the bound that matters (a signature check).",
        subcommands: [
            CodecBenchmark.self, RulesBenchmark.self, RouteBenchmark.self, AuditBenchmark.self, DurableBenchmark.self,
            SummaryBenchmark.self, ActorBenchmark.self, RouterProcess.self,
        ],
        defaultSubcommand: CodecBenchmark.self
    )
}
