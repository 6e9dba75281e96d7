import ArgumentParser
import Crypto
import EIXMAudit
import EIXMCrypto
import EIXMModel
import EIXMRouter
import EIXMSpool
import EIXMTestKit
import EIXMTransport
import Foundation

/// `eixm-bench actor`: the router's own work per message (its actor, the audit writer, the spool writer), with
/// batch-signed messages sealed before the run over the in-process transport: no TLS, no sockets, no signatures to
/// share the cores with, so that its CPU per message holds within a few per cent from run to run on a noisy machine,
/// and a change to the router's serial path can be judged by running the old and the new binary in turn. (Callgrind
/// would count instructions, but valgrind 3.19 stops on any Swift program with an `async` main.)
struct ActorBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "actor",
        abstract:
            "The router's own threads' CPU per message over the in-process transport, median of several runs."
    )

    @Option(help: "Messages to route in each run, shared by the senders.")
    var messages = 50_000

    @Option(help: "Sender/recipient pairs.")
    var pairs = 8

    @Option(help: "Messages per batch signature (each sender keeps two batches in flight).")
    var batch = 64

    @Option(help: "Body bytes per message.")
    var body = 1024

    @Option(help: "The audit log's and the spool's fsync policy.")
    var fsync: FsyncPolicy = .batch

    @Option(help: "Runs, each with a fresh router, audit log and spool; the median is printed after them.")
    var rounds = 5

    func validate() throws {
        guard pairs >= 1, pairs <= MemberState.allCases.count / 2 else {
            throw ValidationError("--pairs must be from 1 to \(MemberState.allCases.count / 2)")
        }
        guard messages >= pairs, batch >= 1, body >= 0, rounds >= 1 else {
            throw ValidationError(
                "--messages must be at least --pairs, --batch and --rounds at least 1, --body not negative"
            )
        }
    }

    func run() async throws {
        let cast = try RouteBenchmark.Cast(pairs: pairs)
        print(
            "eixm-bench actor: \(pairs) sender->recipient pairs over the in-process transport, \(body)-byte bodies, batches of \(batch) signed before each run, audit log and spool fsync \(fsync.rawValue); CPU per message routed"
        )
        var figures: [Figures] = []
        for round in 1...rounds {
            let figure = try await measure(cast)
            figures.append(figure)
            print("  run \(round): \(figure)")
        }
        func median(_ value: (Figures) -> Double) -> Double { figures.map(value).sorted()[figures.count / 2] }
        print(
            String(
                format: "  median of %d runs: %.0f msgs/s; actor %.1f µs, audit writer %.1f µs, spool writer %.1f µs",
                rounds,
                median(\.rate),
                median(\.actor),
                median(\.auditWriter),
                median(\.spoolWriter)
            )
        )
    }

    /// One run's figures: routed msgs/s and the router's threads' CPU per message routed, in microseconds.
    struct Figures: CustomStringConvertible {
        var rate: Double
        var actor: Double
        var auditWriter: Double
        var spoolWriter: Double

        var description: String {
            String(
                format: "%.0f msgs/s; actor %.1f µs, audit writer %.1f µs, spool writer %.1f µs",
                rate,
                actor,
                auditWriter,
                spoolWriter
            )
        }
    }

    /// Routes `messages` through a fresh router, counting what the senders had answered and the recipients received
    /// (not the router's own statistics).
    private func measure(_ cast: RouteBenchmark.Cast) async throws -> Figures {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("eixm-actor-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let signer = AuditSigner(signer: "EIXM-ROUTER", key: Curve25519.Signing.PrivateKey())
        let (audit, spool) = try RouteBenchmark.logs(in: folder, signer: signer, fsync: fsync)
        let clock = ScaledClock(start: Timestamp(Date()), scale: 1)
        let router = RouteBenchmark.router(keys: cast.keys, clock: clock, audit: audit, spool: spool)
        // Sealed before the run: the senders' signatures are not the router's work.
        let perSender = messages / pairs
        let bodyBytes = SampleMessages.body(count: body)
        var batches: [[[Frame]]] = []
        for (index, sender) in cast.senders.enumerated() {
            let identity = try cast.pki.identity(for: sender)
            var own: [[Frame]] = []
            for first in stride(from: 0, to: perSender, by: batch) {
                let list = (first..<min(first + batch, perSender)).map { number in
                    (
                        RouteBenchmark.header(from: sender, to: cast.recipients[index], at: clock.now, index: number),
                        bodyBytes
                    )
                }
                own.append(try identity.seal(list, mode: .batch).map { Frame.message(envelope: $0.wireBytes()) })
            }
            batches.append(own)
        }
        let recipients = try cast.recipients.map { try cast.pki.identity(for: $0) }
        let network = InProcessNetwork()
        let answered = RouteCounter()
        let delivered = RouteCounter()
        let before = ThreadCPU.sample()
        let started = ContinuousClock.now
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await network.server.serve { await router.serve($0) } }
            await withTaskGroup(of: Void.self) { parties in
                for recipient in recipients {
                    parties.addTask {
                        try? await Self.receive(
                            as: recipient,
                            client: network.client(as: recipient.nodeID),
                            keys: cast.keys.withOwnRootCache(),
                            expected: perSender,
                            delivered: delivered
                        )
                    }
                }
                for (index, sender) in cast.senders.enumerated() {
                    let own = batches[index]
                    parties.addTask {
                        try? await Self.send(own, as: sender, client: network.client(as: sender), answered: answered)
                    }
                }
            }
            // Every delivery was received and answered with a receipt: wait until the router has settled them all.
            while await router.waitingDeliveries() > 0 { try? await Task.sleep(for: .milliseconds(1)) }
            await router.flushed()
            group.cancelAll()
        }
        let seconds = RouteBenchmark.seconds(ContinuousClock.now - started)
        let after = ThreadCPU.sample()
        await spool.close()
        try await audit.close()
        let routed = delivered.value
        guard answered.value == perSender * pairs, routed == perSender * pairs else {
            throw ValidationError(
                "the run lost messages: \(answered.value) of \(perSender * pairs) answered, \(routed) delivered"
            )
        }
        func microseconds(_ name: String) -> Double {
            after.seconds(since: before) { $0 == name } * 1e6 / Double(routed)
        }
        return Figures(
            rate: Double(routed) / seconds,
            actor: microseconds("eixm.router"),
            auditWriter: microseconds("eixm.audit"),
            spoolWriter: microseconds("eixm.spool")
        )
    }

    /// Sends one sender's batches, two in flight, counting the answers (ACK or NACK) it gets.
    static func send(
        _ batches: [[Frame]],
        as sender: NodeID,
        client: some ClientTransport,
        answered: RouteCounter
    )
        async throws
    {
        try await client.connect { connection in
            try await connection.outbound.send([.hello(node: sender)])
            var frames = connection.inbound.makeAsyncIterator()
            guard case .welcome = try await frames.next() else { return }
            var next = 0
            var unanswered = 0
            while next < batches.count || unanswered > 0 {
                while next < batches.count, next < 2 || unanswered <= batches[next - 1].count {
                    try await connection.outbound.send(batches[next])
                    unanswered += batches[next].count
                    next += 1
                }
                guard let frame = try await frames.next() else { return }
                switch frame {
                case .ack, .nack:
                    unanswered -= 1
                    answered.increment()
                default: continue
                }
            }
            try await connection.outbound.send([.goodbye(reason: "done")])
        }
    }

    /// Takes `expected` deliveries, verifying each as a node does and answering each read's with one batch of
    /// receipts; counts them.
    static func receive(
        as identity: NodeIdentity,
        client: some ClientTransport,
        keys: KeyDirectory,
        expected: Int,
        delivered: RouteCounter
    ) async throws {
        try await client.connect { connection in
            try await connection.outbound.send([.hello(node: identity.nodeID)])
            var frames = connection.inbound.makeAsyncIterator()
            guard case .welcome(let welcome) = try await frames.next() else { return }
            var received = 0
            while received < expected, let read = try await frames.nextBatch() {
                var receipts: [DeliveryReceipt.Content] = []
                for frame in read {
                    guard case .delivery(let delivery) = frame,
                        let envelope = try? Envelope(wireBytes: delivery.envelope),
                        let verified = keys.verifiedDelivery(envelope)
                    else { continue }
                    receipts.append(verified.receipt(at: welcome.simulatedTime))
                }
                guard !receipts.isEmpty else { continue }
                received += receipts.count
                delivered.increment(by: receipts.count)
                try await connection.outbound.send(try identity.receipts(receipts, mode: .batch).map(Frame.receipt))
            }
            try await connection.outbound.send([.goodbye(reason: "done")])
        }
    }
}
