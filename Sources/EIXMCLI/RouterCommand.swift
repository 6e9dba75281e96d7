import ArgumentParser
import EIXMAudit
import EIXMCrypto
import EIXMExercise
import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

/// `eixm router`: the router as its own process.
struct RouterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "router",
        abstract: "Run the router as a process of its own, for nodes in other processes or on other hosts.",
        discussion: """
            Listens over mutual TLS with the PKI's EIXM-ROUTER identity and the exercise file's rules, router \
            limits and time scale; logs a throughput line every few seconds. SIGTERM or Ctrl-C stops it: it prints \
            its report and writes router-report.txt into --out, beside the audit log (audit/), the spool (spool/) and \
            the run's clock (clock.json). An ACK means stored: the router answers only once the spool and the audit \
            log hold the message. Started again on the same --out (after a crash, even SIGKILL) it recovers without \
            a manual step: it cuts a torn tail, delivers what it accepted and had not delivered, answers resends as \
            before, and its simulated time goes on from the run's start.

            Node certificates are checked at the TLS handshake: a path to the PKI's CA, not a CA, made for TLS \
            clients, a node ID that is not the router's, and not on the PKI's revocation list (crl.pem, written by \
            'eixm pki revoke'). SIGHUP reads the list again and closes the connections of nodes it now revokes. \
            Every refused certificate is audited with its SHA-256 fingerprint and the peer's address.
            """
    )

    @OptionGroup var exercise: ExerciseOptions

    @Option(name: .long, help: "The PKI folder (eixm pki init).")
    var pki: String

    @Option(name: .long, help: "HOST:PORT to listen on; port 0 picks a free port.")
    var listen: HostPort

    @Option(name: .long, help: "A file to write the bound port into, once listening.")
    var portFile: String?

    @Option(
        name: .long,
        help: "The folder for the report, the audit log, the spool and the run's clock; reused on a restart."
    )
    var out: String = "runs/router"

    @Flag(
        name: .long,
        help:
            "Open a damaged spool by cutting it where the damage starts (the cut is reported and audited); without it the router refuses to start on a spool damaged anywhere but its torn tail."
    )
    var repair = false

    @Option(name: .long, help: "Log level on standard error.")
    var logLevel: Logger.Level = .notice

    @Option(name: .long, help: "Log records on standard error as text, or as JSON Lines (one object per record).")
    var logFormat: LogFormat = .text

    @OptionGroup var monitor: MonitorOptions

    func run() async throws {
        LoggingBootstrap.bootstrap(level: logLevel, format: logFormat)
        let configuration = try exercise.configuration()
        if let warning = OpenFileLimit.raise(for: configuration.maxRouterConnections) {
            FileHandle.standardError.write(Data("eixm router: \(warning).\n".utf8))
        }
        let pkiFolder = URL(fileURLWithPath: pki)
        let pki = try ExercisePKI.load(from: pkiFolder)
        let readiness = RunReadiness(waitingFor: ["audit log and spool opened and recovered, listening"])
        let portFile = self.portFile
        let folder = URL(fileURLWithPath: out)
        let service = RouterService(configuration: configuration, logger: Logger(label: "eixm.router"))
        let (listen, repair) = (self.listen, self.repair)
        try await CommandLifecycle.run(
            "eixm router",
            endpoint: monitor.endpoint("eixm router", readiness: readiness)
        ) { stop in
            // SIGHUP reads the revocation list again.
            let hangUps = await UnixSignalsSequence(trapping: .sighup)
            let reload = AsyncStream<Void> { continuation in
                let forwarding = Task {
                    for await _ in hangUps { continuation.yield() }
                    continuation.finish()
                }
                continuation.onTermination = { _ in forwarding.cancel() }
            }
            let statistics = try await service.run(
                pki: pki,
                pkiFolder: pkiFolder,
                reload: reload,
                host: listen.host,
                port: listen.port,
                folder: folder,
                repair: repair,
                stop: stop,
                recovered: { line in FileHandle.standardError.write(Data("eixm router recovered: \(line)\n".utf8)) },
                listening: { port in
                    readiness.done("audit log and spool opened and recovered, listening")
                    FileHandle.standardError.write(Data("eixm router listening on \(listen.host):\(port)\n".utf8))
                    if let portFile { try? "\(port)\n".write(toFile: portFile, atomically: true, encoding: .utf8) }
                },
                progress: { line in FileHandle.standardError.write(Data((line + "\n").utf8)) }
            )
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(statistics.text.utf8).write(to: folder.appendingPathComponent("router-report.txt"))
            print(statistics.text)
        }
    }
}
