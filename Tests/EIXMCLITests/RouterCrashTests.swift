import EIXMCrypto
import EIXMModel
import EIXMTestKit
import EIXMTransport
import EIXMTransportNIO
import Foundation
import Testing

/// `eixm router` as a real process over mutual TLS on 127.0.0.1, killed with SIGKILL and started again on its folder.
@Suite("eixm router crash and restart")
struct RouterCrashTests {
    /// A running `eixm router` child process and the port it listens on. What it writes on standard error after
    /// its "listening" line is read as it comes, so that a test can wait for what the router says.
    final class RouterProcess: Sendable {
        let process: Process
        let port: Int
        /// Standard error after the "listening" line, so far.
        private let said = Locked("")
        /// Signalled once standard error has ended (the process closed it, or ended).
        private let ended = DispatchSemaphore(value: 0)

        /// `alreadySaid`: what was read after the "listening" line with it.
        init(process: Process, port: Int, errors: Pipe, alreadySaid: String) {
            self.process = process
            self.port = port
            said.withLock { $0 = alreadySaid }
            let (said, ended) = (said, ended)
            Thread.detachNewThread {
                let reader = PipeReader(errors)
                while true {
                    let chunk: [UInt8]
                    do {
                        chunk = try reader.next()
                    } catch {
                        said.withLock { $0 += "\n\(error)" }
                        break
                    }
                    if chunk.isEmpty { break }
                    said.withLock { $0 += String(decoding: chunk, as: UTF8.self) }
                }
                ended.signal()
            }
        }

        /// Whether the router has said `words` on standard error (after its "listening" line).
        func hasSaid(_ words: String) -> Bool { said.withLock { $0.contains(words) } }

        /// Starts `eixm router` on `folder` (with `options` besides) and waits for its "listening" line; `port` 0
        /// picks a free port.
        static func start(pki: URL, folder: URL, port: Int = 0, options: [String] = []) async throws -> RouterProcess {
            let executable = CommandRunner.executable
            return try await ChildProcess.offPool {
                let process = Process()
                process.executableURL = executable
                process.arguments =
                    [
                        "router", "--pki", pki.path, "--listen", "127.0.0.1:\(port)", "--out", folder.path,
                    ] + options
                let errors = Pipe()
                process.standardError = errors
                process.standardOutput = FileHandle.nullDevice
                try process.run()
                let listening = "eixm router listening on 127.0.0.1:"
                let (seen, line) = try PipeReader(errors).read(untilLineStartingWith: listening)
                guard let line, let port = Int(line.dropFirst(listening.count)) else {
                    throw RunError("eixm router ended before listening: \(seen)")
                }
                // What came after the line (and its newline).
                let rest = String(seen[line.endIndex...].dropFirst())
                return RouterProcess(
                    process: process,
                    port: port,
                    errors: errors,
                    alreadySaid: rest
                )
            }
        }

        /// Stops the process with `signal` and returns what it wrote on standard error after its "listening" line.
        func stop(_ signal: Int32) async throws -> String {
            let (process, ended, said) = (self.process, self.ended, self.said)
            return try await ChildProcess.offPool {
                kill(process.processIdentifier, signal)
                ended.wait()
                process.waitUntilExit()
                return said.withLock { $0 }
            }
        }
    }

    struct RunError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    static func request(from sender: NodeID, to recipient: NodeID, at time: Timestamp) -> Header {
        var header = SampleMessages.request()
        header.id = UUID()
        header.sender = sender
        header.to = [recipient]
        header.language = .english
        header.copyToEuropol = false
        header.copyToEuropolReason = "not linked to Europol's projects"
        header.createdAt = time
        return header
    }

    /// Connects as `node`, completes HELLO / WELCOME, and runs `body` with the connection, its frames and the
    /// router's simulated time.
    static func session(
        _ node: NodeID,
        pki: ExercisePKI,
        port: Int,
        _ body: (PeerConnection, inout FrameInbound.AsyncIterator, Timestamp) async throws -> Void
    ) async throws {
        let client = try TLSClient(
            host: "127.0.0.1",
            port: port,
            credentials: TLSCredentials(identity: try pki.identity(for: node), trustRoot: pki.caCertificate)
        )
        try await client.connect { connection in
            try await connection.outbound.send([.hello(node: node)])
            var frames = connection.inbound.makeAsyncIterator()
            guard case .welcome(let welcome) = try await frames.next() else { throw RunError("no WELCOME") }
            try await body(connection, &frames, welcome.simulatedTime)
        }
    }

    /// Sends a heartbeat every 200 ms until cancelled. The router leaves a peer that says nothing for five heartbeat
    /// intervals, and echoes each heartbeat, so a wait for an answer that never comes ends at its deadline instead of
    /// blocking.
    static func heartbeats(on outbound: any FrameOutbound) -> Task<Void, any Error> {
        Task {
            while !Task.isCancelled {
                try await outbound.send([.heartbeat])
                try await Task.sleep(for: .milliseconds(200))
            }
        }
    }

    /// The next answer (ACK or NACK) to `id`, skipping heartbeats and deliveries.
    static func answer(to id: UUID, _ frames: inout FrameInbound.AsyncIterator) async throws -> Frame? {
        while let frame = try await frames.next() {
            switch frame {
            case .ack(let ack) where ack.message == id: return frame
            case .nack(let refusal) where refusal.message == id: return frame
            default: continue
            }
        }
        return nil
    }

    @Test(
        "every message ACKed before a SIGKILL is delivered after the restart, a resend is answered ACCEPTED and not delivered twice, the clock goes on, and the audit log verifies",
        .timeLimit(.minutes(3))
    )
    func killAndRestart() async throws {
        try await TemporaryDirectory.with { folder in
            let pkiFolder = folder.appendingPathComponent("pki")
            let run = folder.appendingPathComponent("run")
            #expect(
                try await CommandRunner.runProcess([
                    "pki", "init", "--out", pkiFolder.path, "--node", "SPOC-BE", "--node", "SPOC-FR",
                ]).status == 0
            )
            let pki = try ExercisePKI.load(from: pkiFolder)
            let first = try await RouterProcess.start(pki: pkiFolder, folder: run)
            // Belgium sends twenty requests to France, which is offline; each is ACKed, so each must arrive.
            var acknowledged: [Header] = []
            try await Self.session(.spoc(.be), pki: pki, port: first.port) { connection, frames, now in
                for _ in 0..<20 {
                    let header = Self.request(from: .spoc(.be), to: .spoc(.fr), at: now)
                    let sealed = try pki.identity(for: .spoc(.be)).seal(header, body: Array("before the crash".utf8))
                    try await connection.outbound.send([.message(envelope: sealed.wireBytes())])
                    if try await Self.answer(to: header.id, &frames)
                        == .ack(Frame.Acknowledgement(message: header.id, kind: .accepted))
                    {
                        acknowledged.append(header)
                    }
                }
            }
            #expect(acknowledged.count == 20)
            let killedOutput = try await first.stop(SIGKILL)
            #expect(first.process.terminationReason == .uncaughtSignal, "\(killedOutput)")

            let second = try await RouterProcess.start(pki: pkiFolder, folder: run)
            var delivered: Set<UUID> = []
            try await Self.session(.spoc(.fr), pki: pki, port: second.port) { connection, frames, _ in
                while delivered.count < acknowledged.count, let frame = try await frames.next() {
                    guard case .delivery(let delivery) = frame else { continue }
                    let id = try Envelope(wireBytes: delivery.envelope).header.id
                    delivered.insert(id)
                    try await connection.outbound.send([
                        .receipt(try pki.identity(for: .spoc(.fr)).receipt(forDelivered: delivery.envelope))
                    ])
                }
                // The router has read the acknowledgements once it answers a heartbeat sent after them.
                try await connection.outbound.send([.heartbeat])
                while let frame = try await frames.next() { if case .heartbeat = frame { break } }
            }
            #expect(
                delivered == Set(acknowledged.map(\.id)),
                "acknowledged before the crash and not delivered after it: \(Set(acknowledged.map(\.id)).subtracting(delivered).count)"
            )
            try await Self.session(.spoc(.be), pki: pki, port: second.port) { connection, frames, now in
                // A resend with the original ID gets the same answer.
                let resent = try pki.identity(for: .spoc(.be)).seal(
                    acknowledged[0],
                    body: Array("before the crash".utf8)
                )
                try await connection.outbound.send([.message(envelope: resent.wireBytes())])
                #expect(
                    try await Self.answer(to: acknowledged[0].id, &frames)
                        == .ack(Frame.Acknowledgement(message: acknowledged[0].id, kind: .accepted))
                )
                // The router's time went on: a message created at the time its WELCOME gives is not a replay.
                let fresh = Self.request(from: .spoc(.be), to: .spoc(.fr), at: now)
                #expect(now > acknowledged[0].createdAt)
                let sealed = try pki.identity(for: .spoc(.be)).seal(fresh, body: Array("after the crash".utf8))
                try await connection.outbound.send([.message(envelope: sealed.wireBytes())])
                #expect(
                    try await Self.answer(to: fresh.id, &frames)
                        == .ack(Frame.Acknowledgement(message: fresh.id, kind: .accepted))
                )
            }
            // France gets the new message, and not the resent one again.
            var after: [UUID] = []
            try await Self.session(.spoc(.fr), pki: pki, port: second.port) { connection, frames, _ in
                try await connection.outbound.send([.heartbeat])
                while let frame = try await frames.next() {
                    if case .heartbeat = frame { break }
                    if case .delivery(let delivery) = frame {
                        after.append(try Envelope(wireBytes: delivery.envelope).header.id)
                    }
                }
            }
            #expect(after.count == 1 && !after.contains(acknowledged[0].id), "\(after)")
            let output = try await second.stop(SIGTERM)
            #expect(second.process.terminationStatus == 0, "\(output)")
            let verified = try await CommandRunner.runProcess([
                "audit", "verify", run.appendingPathComponent("audit").path, "--pki", pkiFolder.path,
            ])
            #expect(verified.status == 0, "\(verified.output)")
        }
    }
}
