import ArgumentParser
import EIXMCrypto
import EIXMExercise
import EIXMModel
import EIXMNodes
import Foundation
import Logging

/// `eixm node`: one node as its own process.
struct NodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "node",
        abstract: "Run one node as a process of its own, connected to a router over mutual TLS.",
        discussion: """
            The node uses its key and certificate from the PKI folder and behaves as the exercise file says. \
            SIGTERM or Ctrl-C stops its traffic; it waits for what is in flight, prints its counts and exits.
            """
    )

    @OptionGroup var exercise: ExerciseOptions

    @Option(name: .long, help: "The node's ID, e.g. SPOC-BE.")
    var id: NodeID

    @Option(name: .long, help: "The router's HOST:PORT.")
    var router: HostPort

    @Option(name: .long, help: "The PKI folder (eixm pki init).")
    var pki: String

    @Option(name: .long, help: "Log level on standard error.")
    var logLevel: Logger.Level = .warning

    func run() async throws {
        LoggingBootstrap.bootstrap(level: logLevel)
        let configuration = try exercise.configuration()
        let pki = try ExercisePKI.load(from: URL(fileURLWithPath: pki))
        let stop = SignalStop()
        let statistics = try await NodeService(configuration: configuration, logger: Logger(label: "eixm.node")).run(
            node: id,
            pki: pki,
            host: router.host,
            port: router.port,
            stop: stop.stream
        )
        print("\(id): sent \(statistics.sent), accepted \(statistics.accepted), rejected \(statistics.rejected), received \(statistics.received), answered \(statistics.answered) (\(statistics.answeredInTime) in time, \(statistics.answeredLate) late), requests answered \(statistics.answersReceived)/\(statistics.requestsSent), redeliveries suppressed \(statistics.duplicatesSuppressed), connections \(statistics.connections)")
    }
}
