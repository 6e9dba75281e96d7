import ArgumentParser
import Crypto
import EIXMAudit
import EIXMCrypto
import EIXMModel
import EIXMRouter
import EIXMRules
import EIXMSpool
import EIXMTransportNIO
import Foundation
import Logging

/// `eixm-bench router-process` (not listed): the router of a routing run in a process of its own, as a user runs
/// it, so that the CPU it uses is its own and not the senders' and recipients'. Listens on 127.0.0.1 with a fresh
/// audit log and spool in `--folder`, writes its port into `--port-file`, and routes until its standard input
/// closes; then prints its figures as one JSON line and exits.
struct RouterProcess: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "router-process",
        abstract: "The router of a routing run, in a process of its own (started by the other benchmarks).",
        shouldDisplay: false
    )

    @Option(help: "The PKI folder of the run's nodes.")
    var pki: String

    @Option(help: "The folder for the audit log and the spool.")
    var folder: String

    @Option(help: "Whether the audit log and the spool sync before each ACK (batch) or never (none).")
    var fsync: FsyncPolicy = .batch

    @Option(help: "The file to write the bound port into.")
    var portFile: String

    @Option(
        parsing: .upToNextOption,
        help: "The cores the router's threads may run on (default: every core)."
    )
    var cpus: [Int] = []

    func run() async throws {
        // Before the router starts its threads, which inherit it; the event loops already run and are pinned here.
        if !cpus.isEmpty { try CPUAffinity.pin(to: cpus) }
        let pki = try ExercisePKI.load(from: URL(fileURLWithPath: pki))
        let (audit, spool) = try RouteBenchmark.logs(
            in: URL(fileURLWithPath: folder),
            signer: AuditSigner(signer: "EIXM-ROUTER", key: Curve25519.Signing.PrivateKey()),
            fsync: fsync
        )
        let (router, server) = try await RouteBenchmark.listeningRouter(
            pki: pki,
            clock: ScaledClock(start: Timestamp(Date()), scale: 1),
            audit: audit,
            spool: spool
        )
        try Data("\(server.port)\n".utf8).write(to: URL(fileURLWithPath: portFile))
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await server.serve { await router.serve($0) } }
            await Self.standardInputCloses()
            group.cancelAll()
        }
        let figures = RouterFigures(await router.snapshot())
        await spool.close()
        try await audit.close()
        FileHandle.standardOutput.write(try JSONEncoder().encode(figures) + Data("\n".utf8))
    }

    /// Returns once standard input is closed (the parent's end of the pipe), read on a thread of its own.
    private static func standardInputCloses() async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            Thread.detachNewThread {
                while !FileHandle.standardInput.availableData.isEmpty {}
                done.resume()
            }
        }
    }
}

/// What a routing run needs of the router's statistics, as the router process reports them.
struct RouterFigures: Codable {
    var received = 0
    var accepted = 0
    var rejected = 0
    var batchRootVerifications = 0
    var receiptRootVerifications = 0
    var receiptRootHits = 0
    var pathNodesComputed = 0
    var pathNodesRemembered = 0
    var latencyMicroseconds: [String: Double] = [:]
    var commitMicroseconds: [String: Double] = [:]

    init(_ statistics: RouterStatistics) {
        received = statistics.received
        accepted = statistics.accepted
        rejected = statistics.rejected
        batchRootVerifications = statistics.batchRootVerifications
        receiptRootVerifications = statistics.receiptRootVerifications
        receiptRootHits = statistics.receiptRootHits
        pathNodesComputed = statistics.pathNodesComputed
        pathNodesRemembered = statistics.pathNodesRemembered
        latencyMicroseconds = statistics.latencyMicroseconds
        commitMicroseconds = statistics.commitMicroseconds
    }

    var statistics: RouterStatistics {
        var statistics = RouterStatistics()
        statistics.received = received
        statistics.accepted = accepted
        statistics.rejected = rejected
        statistics.batchRootVerifications = batchRootVerifications
        statistics.receiptRootVerifications = receiptRootVerifications
        statistics.receiptRootHits = receiptRootHits
        statistics.pathNodesComputed = pathNodesComputed
        statistics.pathNodesRemembered = pathNodesRemembered
        statistics.latencyMicroseconds = latencyMicroseconds
        statistics.commitMicroseconds = commitMicroseconds
        return statistics
    }
}

extension FsyncPolicy: ExpressibleByArgument {}

/// A router process of a routing run (`eixm-bench router-process`), started from this executable: its port, its
/// process ID (for its threads' CPU), and its figures once it is told to stop.
final class RouterChild: Sendable {
    let port: Int
    let pid: Int32
    private let process: Process
    private let input: FileHandle
    private let output: FileHandle

    private init(process: Process, input: FileHandle, output: FileHandle, port: Int) {
        self.process = process
        self.input = input
        self.output = output
        self.port = port
        pid = process.processIdentifier
    }

    /// Starts the router on the PKI in `pki`, with its logs in `folder`, on `cpus` (empty: every core), and returns
    /// once it listens.
    static func start(pki: URL, folder: URL, fsync: FsyncPolicy, cpus: [Int] = []) async throws -> RouterChild {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let portFile = folder.appendingPathComponent("port")
        let process = Process()
        process.executableURL = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
        process.arguments =
            [
                "router-process", "--pki", pki.path, "--folder", folder.path, "--fsync", fsync.rawValue,
                "--port-file", portFile.path,
            ] + (cpus.isEmpty ? [] : ["--cpus"] + cpus.map(String.init))
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        // The port file appears once the router listens (a benchmark's harness: polled, every 10 ms, up to 30 s).
        for _ in 0..<3_000 {
            if let text = try? String(contentsOf: portFile, encoding: .utf8), text.hasSuffix("\n"),
                let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
            {
                return RouterChild(
                    process: process,
                    input: input.fileHandleForWriting,
                    output: output.fileHandleForReading,
                    port: port
                )
            }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        process.terminate()
        throw ValidationError("the router process did not start listening (exit status \(process.terminationStatus))")
    }

    /// Tells the router to stop (closes its standard input) and returns its figures.
    func finish() throws -> RouterStatistics {
        try input.close()
        let data = output.readDataToEndOfFile()
        process.waitUntilExit()
        guard let line = data.split(separator: UInt8(ascii: "\n")).last,
            let figures = try? JSONDecoder().decode(RouterFigures.self, from: Data(line))
        else { throw ValidationError("the router process ended without its figures") }
        return figures.statistics
    }
}
