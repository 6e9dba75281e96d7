import ArgumentParser
import EIXMCrypto
import EIXMExercise
import EIXMModel
import EIXMNodes
import EIXMSpool
import Foundation
import Logging

/// `eixm node`: one node as its own process.
struct NodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "node",
        abstract: "Run one node as a process of its own, connected to a router over mutual TLS.",
        discussion: """
            The node uses its key and certificate from the PKI folder and behaves as the exercise file says. \
            SIGTERM or Ctrl-C stops its traffic; it waits for what is in flight, prints its counts and exits. \
            With --state, the node keeps in that folder what it must remember across its own crash (the deliveries \
            it acted on, the messages the router has not answered, the answers it has still to send), synced before \
            it acknowledges or sends; restarted on the same folder (even after SIGKILL) it acts on nothing twice and \
            sends again, with their IDs, the messages the router had not answered.
            """
    )

    @OptionGroup var exercise: ExerciseOptions

    @Option(name: .long, help: "The node's ID, e.g. SPOC-BE.")
    var id: NodeID

    @Option(name: .long, help: "The router's HOST:PORT.")
    var router: HostPort

    @Option(name: .long, help: "The PKI folder (eixm pki init).")
    var pki: String

    @Option(name: .long, help: "A folder for what the node must remember across its own crash; reused on a restart.")
    var state: String?

    @Flag(
        name: .long,
        help:
            "Open a damaged state journal by cutting it where the damage starts; without it the node refuses to start on a journal damaged anywhere but its torn tail."
    )
    var repair = false

    @Option(name: .long, help: "Log level on standard error.")
    var logLevel: Logger.Level = .warning

    @Option(name: .long, help: "Log records on standard error as text, or as JSON Lines (one object per record).")
    var logFormat: LogFormat = .text

    func run() async throws {
        LoggingBootstrap.bootstrap(level: logLevel, format: logFormat)
        let configuration = try exercise.configuration()
        let pki = try ExercisePKI.load(from: URL(fileURLWithPath: pki))
        let service = NodeService(configuration: configuration, logger: Logger(label: "eixm.node"))
        let (id, router, state, repair) = (self.id, self.router, self.state, self.repair)
        try await CommandLifecycle.run("eixm node", endpoint: nil) { stop in
            var journal: NodeJournal?
            if let state {
                let opened = try NodeJournal(directory: URL(fileURLWithPath: state), repair: repair)
                if let cut = opened.cut {
                    FileHandle.standardError.write(Data("\(id): state journal recovered: \(cut)\n".utf8))
                }
                FileHandle.standardError.write(Data("\(id): state in \(state): \(opened.summary)\n".utf8))
                journal = opened
            }
            let statistics = try await service.run(
                node: id,
                pki: pki,
                host: router.host,
                port: router.port,
                journal: journal,
                stop: stop
            )
            print(
                "\(id): sent \(statistics.sent), accepted \(statistics.accepted), rejected \(statistics.rejected), received \(statistics.received), answered \(statistics.answered) (\(statistics.answeredInTime) in time, \(statistics.answeredLate) late), requests answered \(statistics.answersReceived)/\(statistics.requestsSent), redeliveries suppressed \(statistics.duplicatesSuppressed), connections \(statistics.connections)"
            )
        }
    }
}
