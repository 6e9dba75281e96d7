import EIXMCrypto
import EIXMModel
import EIXMTestKit
import EIXMTransport
import Foundation
import Testing

/// `eixm node --state` as a real process over mutual TLS, killed with SIGKILL while it has acted on requests whose
/// answers it has not yet sent, and started again on its state folder.
@Suite("eixm node crash and restart", .timeLimit(.minutes(3)))
struct NodeCrashTests {
    /// France answers every request with a reply one simulated hour (one real second) later, and sends nothing else.
    static let exercise = """
        name: node-state
        seed: 7
        time_scale: 3600
        duration: 120s
        drain: 5s
        start: 2026-11-29T08:00:00Z
        nodes: [SPOC-BE, SPOC-FR]
        router:
          heartbeat: 1s
        behaviour:
          requests_per_hour: 0
          spontaneous_per_hour: 0
          rule_breaking_share: 0
          reply_delay: {min: 1h, max: 1h}
          refusal_share: 0
          clarification_share: 0
          delay_notice_share: 0
          hit_share: 0
        """

    /// Starts `eixm node` for France on `state`.
    static func startFrance(pki: URL, config: URL, state: URL, port: Int, log: URL) throws -> Process {
        let process = Process()
        process.executableURL = CommandRunner.executable
        process.arguments = [
            "node", "--id", "SPOC-FR", "--router", "127.0.0.1:\(port)", "--pki", pki.path, "--config", config.path,
            "--state", state.path,
        ]
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let output = try FileHandle(forWritingTo: log)
        output.seekToEndOfFile()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        return process
    }

    /// A PKI for Belgium and France and the exercise file, in `folder`.
    static func prepare(_ folder: URL) async throws -> (pki: URL, config: URL) {
        let pki = folder.appendingPathComponent("pki")
        let config = folder.appendingPathComponent("exercise.yaml")
        try exercise.write(to: config, atomically: true, encoding: .utf8)
        #expect(
            try await CommandRunner.runProcess([
                "pki", "init", "--out", pki.path, "--node", "SPOC-BE", "--node", "SPOC-FR",
            ]).status == 0
        )
        return (pki, config)
    }

    static func kill(_ process: Process) async throws {
        try await ChildProcess.offPool {
            Foundation.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    @Test(
        "a node killed with SIGKILL and restarted on its state folder answers every request once: none twice, none forgotten"
    )
    func killAndRestart() async throws {
        try await TemporaryDirectory.with { folder in
            let (pkiFolder, config) = try await Self.prepare(folder)
            let state = folder.appendingPathComponent("france-state")
            let log = folder.appendingPathComponent("france.log")
            let pki = try ExercisePKI.load(from: pkiFolder)
            let router = try await RouterCrashTests.RouterProcess.start(
                pki: pkiFolder,
                folder: folder.appendingPathComponent("router")
            )
            var france = try Self.startFrance(pki: pkiFolder, config: config, state: state, port: router.port, log: log)
            var replies: [UUID: Int] = [:]
            var repliesBeforeTheCrash = 0
            try await RouterCrashTests.session(.spoc(.be), pki: pki, port: router.port) { connection, frames, now in
                let belgium = try pki.identity(for: .spoc(.be))
                func send(_ count: Int) async throws -> [UUID] {
                    var ids: [UUID] = []
                    for _ in 0..<count {
                        let header = RouterCrashTests.request(from: .spoc(.be), to: .spoc(.fr), at: now)
                        try await connection.outbound.send([
                            .message(envelope: try belgium.seal(header, body: Array("request".utf8)).wireBytes())
                        ])
                        ids.append(header.id)
                    }
                    return ids
                }
                let heartbeats = RouterCrashTests.heartbeats(on: connection.outbound)
                defer { heartbeats.cancel() }
                /// Reads until `id` has a reply (or 30 s have passed), acknowledging every delivery and counting
                /// replies by request.
                func readUntilReplied(_ id: UUID, then: (() async throws -> Void)? = nil) async throws {
                    var then = then
                    let deadline = ContinuousClock.now + .seconds(30)
                    while replies[id] == nil, let frame = try await frames.next() {
                        guard ContinuousClock.now < deadline else {
                            Issue.record("no reply to \(id) within 30 s")
                            return
                        }
                        if case .nack(let refusal) = frame { Issue.record("refused: \(refusal)") }
                        guard case .delivery(let delivery) = frame else { continue }
                        let header = try Envelope(wireBytes: delivery.envelope).header
                        try await connection.outbound.send([
                            .receipt(try belgium.receipt(forDelivered: delivery.envelope))
                        ])
                        guard header.messageType == .reply, let request = header.inReplyTo else { continue }
                        replies[request, default: 0] += 1
                        if let action = then {
                            then = nil
                            try await action()
                        }
                    }
                }
                let requests = try await send(20)
                // At the first reply France has acted on most requests and not yet answered them: kill it then.
                try await readUntilReplied(requests[requests.count - 1]) {
                    repliesBeforeTheCrash = replies.values.reduce(0, +)
                    try await Self.kill(france)
                    france = try Self.startFrance(
                        pki: pkiFolder,
                        config: config,
                        state: state,
                        port: router.port,
                        log: log
                    )
                }
                // A redelivery acted on again would be answered before the first marker (it is delivered after
                // every redelivery), and sent before the second marker's reply (due an hour after the first's).
                let first = try await send(1)
                try await readUntilReplied(first[0])
                let second = try await send(1)
                try await readUntilReplied(second[0])
                let expected = Dictionary(uniqueKeysWithValues: (requests + first + second).map { ($0, 1) })
                let log = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
                #expect(
                    replies == expected,
                    "requests answered other than once: \(replies.filter { $0.value != 1 }.count), unanswered: \(Set(expected.keys).subtracting(replies.keys).count); France said: \(log)"
                )
            }
            #expect(
                repliesBeforeTheCrash > 0 && repliesBeforeTheCrash < 20,
                "the crash came when France had answered \(repliesBeforeTheCrash) of 20"
            )
            #expect(try String(contentsOf: log, encoding: .utf8).contains("SPOC-FR: state in \(state.path): "))
            try await Self.kill(france)
            _ = try await router.stop(SIGTERM)
        }
    }

    @Test(
        "a state journal damaged before its tail stops the node with a sentence naming the file, the byte and --repair"
    )
    func damagedJournal() async throws {
        try await TemporaryDirectory.with { folder in
            let (pkiFolder, config) = try await Self.prepare(folder)
            let state = folder.appendingPathComponent("state")
            try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
            // A journal header, then a record whose checksum does not match, then a whole record.
            var bytes = Array("EIXMNOD1".utf8)
            for (payload, checksum) in [(Array("{}".utf8), UInt32(1)), (Array("{}".utf8), UInt32(2))] {
                bytes +=
                    [0, 0, 0, UInt8(payload.count)] + withUnsafeBytes(of: checksum.bigEndian, Array.init) + payload
            }
            let journal = state.appendingPathComponent("node-journal.log")
            try Data(bytes).write(to: journal)
            let result = try await CommandRunner.runProcess([
                "node", "--id", "SPOC-FR", "--router", "127.0.0.1:1", "--pki", pkiFolder.path, "--config", config.path,
                "--state", state.path,
            ])
            #expect(result.status != 0)
            #expect(result.output.contains("\(journal.path) at byte 8: corrupt record: "), "\(result.output)")
            #expect(result.output.contains("--repair"))
            #expect(!result.output.contains("SpoolError"))
            #expect(Array(try Data(contentsOf: journal)) == bytes, "a refused journal was changed")
        }
    }
}
