import ArgumentParser
import EIXMCrypto
import EIXMExercise
import Foundation
import Logging

/// The options of a run (`exercise`, `load`): its seed, its PKI, its run folder and the log level.
struct RunOptions: ParsableArguments {
    @Option(name: .long, help: "Seed of the traffic (overrides the file).")
    var seed: UInt64?

    @Option(name: .long, help: "A PKI folder to use instead of an ephemeral PKI (eixm pki init).")
    var pki: String?

    @Option(name: .long, help: "The run folder for the report and the audit log (default: runs/<name>-<time>).")
    var out: String?

    @Option(name: .long, help: "Log level on standard error: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .warning

    @Option(name: .long, help: "Log records on standard error as text, or as JSON Lines (one object per record).")
    var logFormat: LogFormat = .text

    /// Sets up logging, applies the seed to `configuration`, loads the PKI if one is given and makes the run folder.
    func start(_ configuration: inout ExerciseConfiguration, name: String) throws -> (pki: ExercisePKI?, folder: URL) {
        LoggingBootstrap.bootstrap(level: logLevel, format: logFormat)
        if let seed { configuration.seed = seed }
        let pki = try self.pki.map { try ExercisePKI.load(from: URL(fileURLWithPath: $0)) }
        let folder = URL(fileURLWithPath: out ?? "runs/\(name)-\(Self.stamp())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return (pki, folder)
    }

    static func stamp() -> String {
        Date().formatted(
            .iso8601.year().month().day().time(includingFractionalSeconds: false).timeSeparator(.omitted).dateSeparator(
                .omitted
            )
        )
    }
}
