import ArgumentParser
import EIXMAudit
import EIXMCrypto
import EIXMExercise
import EIXMModel
import EIXMNodes
import EIXMRouter
import EIXMRules
import EIXMSpool
import EIXMTestKit
import EIXMTransport
import EIXMTransportNIO
import Foundation
import Logging
import Synchronization

/// `eixm-bench route`: routed messages per second at saturation, over real mutual TLS on 127.0.0.1, with a
/// fresh Ed25519 signature per message, next to the crypto bound measured in the same run.
struct RouteBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "route",
        abstract: "Routed msgs/s at saturation over mutual TLS, and the ratio to the crypto bound (goal ≥ 0.5)."
    )

    @Option(help: "Sender/recipient pairs (each a TLS connection per node).")
    var pairs = 8

    @Option(help: "Messages in flight per sender.")
    var window = 64

    @Option(help: "Seconds to measure (after one second of warm-up).")
    var seconds = 5.0

    @Option(help: "Body bytes per message.")
    var body = 1024

    @Option(help: "How senders sign: per_message or batch (each refill of the window as one batch).")
    var signatures: SignatureMode = .perMessage

    @OptionGroup var stopwatch: Stopwatch

    /// The nodes of a routing run: `pairs` senders, each sending to its own recipient, and their PKI.
    struct Cast {
        let senders: [NodeID]
        let recipients: [NodeID]
        let pki: ExercisePKI
        let keys: KeyDirectory

        init(pairs: Int) throws {
            let states = Array(MemberState.allCases.prefix(pairs * 2))
            senders = states.prefix(pairs).map(NodeID.spoc)
            recipients = states.suffix(pairs).map(NodeID.spoc)
            pki = try ExercisePKI.generate(nodes: senders + recipients)
            keys = try pki.keyDirectory()
        }
    }

    /// Where a routing run's router lives: in this process, with the audit sink and spool given (its connections
    /// then share the event loops with the senders and recipients), or in a process of its own (`eixm-bench
    /// router-process`, with a file audit log and spool in `folder`), as a user runs it, so that the CPU it uses is
    /// its own (on `cpus`; empty: every core).
    enum RouterSide {
        case here(audit: any AuditSink, spool: Spool?)
        case process(folder: URL, fsync: FsyncPolicy, cpus: [Int] = [])
    }

    /// A run's router (``router(keys:clock:audit:spool:)``), listening on 127.0.0.1 (port 0) with the PKI's router
    /// identity.
    static func listeningRouter(
        pki: ExercisePKI,
        clock: ScaledClock,
        audit: any AuditSink,
        spool: Spool?
    ) async throws -> (router: Router, server: TLSServer) {
        let router = Self.router(keys: try pki.keyDirectory(), clock: clock, audit: audit, spool: spool)
        let server = try await TLSServer.bind(
            host: "127.0.0.1",
            port: 0,
            credentials: TLSCredentials(identity: try pki.identity(for: .router), trustRoot: pki.caCertificate),
            logger: quiet
        )
        return (router, server)
    }

    /// A run's router: no queue limit or memory of IDs that a run could reach, the built-in rules, nothing logged.
    static func router(keys: KeyDirectory, clock: ScaledClock, audit: any AuditSink, spool: Spool?) -> Router {
        Router(
            configuration: RouterConfiguration(queueLimit: 1_000_000, rememberedMessages: 10_000_000),
            rules: RulesEngine(configuration: .builtIn()),
            keys: keys,
            clock: clock,
            audit: audit,
            spool: spool,
            logger: Self.quiet
        )
    }

    static let quiet = Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() })

    /// A fresh audit log (in `folder`/audit) and spool (in `folder`/spool), both syncing as `fsync` says.
    static func logs(in folder: URL, signer: AuditSigner, fsync: FsyncPolicy) throws -> (FileAuditLog, Spool) {
        let audit = try FileAuditLog(
            directory: folder.appendingPathComponent("audit"),
            signer: signer,
            configuration: AuditLogConfiguration(fsync: fsync)
        )
        let spool = try Spool.open(
            directory: folder.appendingPathComponent("spool"),
            configuration: SpoolConfiguration(fsync: fsync)
        ).spool
        return (audit, spool)
    }

    /// One routing run over mutual TLS on 127.0.0.1 through a router (`side`): routed messages per second (verified
    /// by their recipients) inside the measured `seconds`, after one second of warm-up, and the latency from each
    /// message's send time (its intended time, when `pace` sets an offered rate per sender) to its ACK. Without `pace`
    /// the senders keep `window` messages in flight: saturation.
    static func measure(
        _ cast: Cast,
        router side: RouterSide,
        body: Int,
        window: Int,
        seconds: Double,
        pace: Double? = nil,
        signatures: SignatureMode = .perMessage
    ) async throws -> (
        rate: Double, ackLatency: LatencyRecorder, beforeWrite: LatencyRecorder, router: RouterStatistics, cpu: CPUShare
    ) {
        let clock = ScaledClock(start: Timestamp(Date()), scale: 1)
        let pki = cast.pki
        let keys = cast.keys
        let here: (router: Router, server: TLSServer)?
        let child: RouterChild?
        switch side {
        case .here(let audit, let spool):
            (here, child) = (try await Self.listeningRouter(pki: pki, clock: clock, audit: audit, spool: spool), nil)
        case .process(let folder, let fsync, let cpus):
            let pkiFolder = folder.appendingPathComponent("pki")
            if !FileManager.default.fileExists(atPath: pkiFolder.path) { try pki.write(to: pkiFolder) }
            (here, child) = (nil, try await RouterChild.start(pki: pkiFolder, folder: folder, fsync: fsync, cpus: cpus))
        }
        let port = here?.server.port ?? child?.port ?? 0
        let bodyBytes = SampleMessages.body(count: body)
        let counter = RouteCounter()
        let latency = LatencyRecorder()
        let beforeWrite = LatencyRecorder()
        let measureFrom = ContinuousClock.now + .seconds(1)
        let measureUntil = measureFrom + .seconds(seconds)
        let cpuSamples = Locked<[(own: ThreadCPU, router: ThreadCPU?)]>([])
        await withTaskGroup(of: Void.self) { group in
            if let here { group.addTask { try? await here.server.serve { await here.router.serve($0) } } }
            // The threads' CPU at the start and at the end of the measured interval (the router's threads still live).
            group.addTask {
                for instant in [measureFrom, measureUntil] {
                    try? await Task.sleep(until: instant)
                    let sample = (ThreadCPU.sample(), child.map { ThreadCPU.sample(pid: $0.pid) })
                    cpuSamples.withLock { $0.append(sample) }
                }
            }
            for recipient in cast.recipients {
                let client = try! TLSClient(
                    host: "127.0.0.1",
                    port: port,
                    credentials: TLSCredentials(
                        identity: try! pki.identity(for: recipient),
                        trustRoot: pki.caCertificate
                    )
                )
                group.addTask {
                    try? await Self.receive(
                        as: try! pki.identity(for: recipient),
                        signatures: signatures,
                        client: client,
                        keys: keys.withOwnRootCache(),
                        counter: counter,
                        from: measureFrom,
                        until: measureUntil
                    )
                }
            }
            for (index, sender) in cast.senders.enumerated() {
                let identity = try! pki.identity(for: sender)
                let client = try! TLSClient(
                    host: "127.0.0.1",
                    port: port,
                    credentials: TLSCredentials(identity: identity, trustRoot: pki.caCertificate)
                )
                let recipient = cast.recipients[index]
                group.addTask {
                    try? await Self.send(
                        as: identity,
                        to: recipient,
                        client: client,
                        body: bodyBytes,
                        clock: clock,
                        window: window,
                        pace: pace,
                        signatures: signatures,
                        latency: latency,
                        beforeWrite: beforeWrite,
                        measuring: measureFrom..<measureUntil
                    )
                }
            }
            try? await Task.sleep(until: measureUntil + .milliseconds(200))
            group.cancelAll()
        }
        let samples = cpuSamples.withLock { $0 }
        var cpu = CPUShare()
        if samples.count == 2 {
            let router = samples[0].router.flatMap { start in samples[1].router.map { (start: start, end: $0) } }
            cpu = CPUShare(from: samples[0].own, to: samples[1].own, router: router, seconds: seconds)
        }
        let statistics: RouterStatistics
        if let child {
            statistics = try child.finish()
        } else if let here {
            statistics = await here.router.snapshot()
        } else {
            statistics = RouterStatistics()
        }
        return (Double(counter.value) / seconds, latency, beforeWrite, statistics, cpu)
    }

    func run() async throws {
        let cast = try Cast(pairs: pairs)
        let keys = cast.keys
        let senders = cast.senders
        let recipients = cast.recipients
        let clock = ScaledClock(start: Timestamp(Date()), scale: 1)
        // The crypto bound: each message costs two signatures (the sender's, and the recipient's receipt) and three
        // verifications (the router and the recipient check the message, the router checks the receipt). Measured on every core at once (so that cores sharing a physical core count for what they
        // really give), just before and just after the routing run, whose figure is compared with their mean.
        let bodyBytes = SampleMessages.body(count: body)
        let identity = try cast.pki.identity(for: senders[0])
        let sample = try identity.seal(
            Self.header(from: senders[0], to: recipients[0], at: clock.now, index: 0),
            body: bodyBytes
        )
        let boundBefore = Self.cryptoBound(identity: identity, keys: keys, envelope: sample, seconds: 1.5)
        let (rate, _, _, statistics, _) = try await Self.measure(
            cast,
            router: .here(audit: CountingAuditSink(), spool: nil),
            body: body,
            window: window,
            seconds: seconds,
            signatures: signatures
        )
        let routed = Int(rate * seconds)
        let boundAfter = Self.cryptoBound(identity: identity, keys: keys, envelope: sample, seconds: 1.5)
        let bound = (boundBefore + boundAfter) / 2
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let input = sample.signingInput(
            bodyDigest: [UInt8](repeating: 0, count: 32),
            scheme: SignatureBlock.ed25519Scheme
        )
        let envelope = sample
        let sign = try stopwatch.secondsPerOperation(operations: 2_000) {
            blackHole(try identity.signature(for: input))
        }
        let verify = stopwatch.secondsPerOperation(operations: 2_000) { blackHole(keys.verify(envelope)) }
        let singleCoreBound = 1 / (2 * sign + 3 * verify)
        print(
            "eixm-bench route: \(pairs) sender->recipient pairs over mutual TLS on 127.0.0.1, window \(window), \(body)-byte bodies, \(String(format: "%.0f", seconds)) s, signatures \(signatures)"
        )
        print(
            String(
                format:
                    "  routed (verified by recipient)  %8.0f msgs/s   (%d messages; router accepted %d, rejected %d)",
                rate,
                routed,
                statistics.accepted,
                statistics.rejected
            )
        )
        if signatures == .batch {
            print(
                String(
                    format:
                        "  router checked %d batch roots for %d messages (%.3f verifications per message) and %d for %d receipts",
                    statistics.batchRootVerifications,
                    statistics.received,
                    Double(statistics.batchRootVerifications) / Double(max(statistics.received, 1)),
                    statistics.receiptRootVerifications,
                    statistics.receiptRootVerifications + statistics.receiptRootHits
                )
            )
        }
        print(
            String(
                format: "  router latency p50 %.0f µs, p99 %.0f µs",
                statistics.latencyMicroseconds["p50"] ?? 0,
                statistics.latencyMicroseconds["p99"] ?? 0
            )
        )
        print(
            String(
                format:
                    "  crypto bound                    %8.0f msgs/s   (2 signatures + 3 verifications on all %d cores at once: %.0f before, %.0f after the run; one core alone: %.0f/s = 1 / (2 x sign %.1f µs + 3 x verify %.1f µs))",
                bound,
                cores,
                boundBefore,
                boundAfter,
                singleCoreBound,
                sign * 1e6,
                verify * 1e6
            )
        )
        print(String(format: "  ratio routed / crypto bound = %.2f  (goal ≥ 0.5)", rate / bound))
        print(String(format: "  vs SIENA's 2023 average (~200 msgs/hour): x%.0f", rate * 3600 / 200))
    }

    /// Messages per second that the protocol's signatures allow on every core at once, on threads of their own (not
    /// Swift Concurrency's pool, which may share threads): per message two signatures (the sender's, the recipient's
    /// receipt) and three verifications (the message by the router and the recipient, the receipt by the router).
    static func cryptoBound(identity: NodeIdentity, keys: KeyDirectory, envelope: Envelope, seconds: Double) -> Double {
        let input = envelope.signingInput(
            bodyDigest: [UInt8](repeating: 0, count: 32),
            scheme: SignatureBlock.ed25519Scheme
        )
        let start = ContinuousClock.now
        let end = start + .seconds(seconds)
        let counts = Locked<Int>(0)
        DispatchQueue.concurrentPerform(iterations: ProcessInfo.processInfo.activeProcessorCount) { _ in
            var count = 0
            while ContinuousClock.now < end {
                blackHole(try? identity.signature(for: input))
                blackHole(try? identity.signature(for: input))
                blackHole(keys.verify(envelope))
                blackHole(keys.verify(envelope))
                blackHole(keys.verify(envelope))
                count += 1
            }
            counts.withLock { $0 += count }
        }
        return Double(counts.withLock { $0 }) / Self.seconds(ContinuousClock.now - start)
    }

    static func header(from sender: NodeID, to recipient: NodeID, at time: Timestamp, index: Int) -> Header {
        var header = SampleMessages.request()
        // Sender letters, a version nibble, then the index: unique per sender and message.
        let bytes =
            Array(sender.rawValue.utf8.suffix(2)) + [0, 0, 0, 0, 0x40, 0]
            + withUnsafeBytes(of: UInt64(index).bigEndian, Array.init)
        header.id = UUID(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8], bytes[9],
                bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
            )
        )
        header.sender = sender
        header.to = [recipient]
        header.affectedStates = []
        header.language = .english
        header.urgency = .nonUrgent
        header.urgencyReason = nil
        header.copyToEuropol = false
        header.copyToEuropolReason = "benchmark"
        header.createdAt = time
        return header
    }

    /// Sends signed requests as fast as the window allows, or, with `pace`, that many a second on a fixed schedule
    /// (open loop); records each ACK's latency from the message's send time (or intended time) inside `measuring`, and
    /// the part of it before the message was handed to the connection (`beforeWrite`: waiting for its batch, and signing).
    static func send(
        as identity: NodeIdentity,
        to recipient: NodeID,
        client: TLSClient,
        body: [UInt8],
        clock: ScaledClock,
        window: Int,
        pace: Double? = nil,
        signatures: SignatureMode,
        latency: LatencyRecorder,
        beforeWrite: LatencyRecorder,
        measuring: Range<ContinuousClock.Instant>
    ) async throws {
        try await client.connect { connection in
            try await connection.outbound.send([.hello(node: identity.nodeID)])
            var frames = connection.inbound.makeAsyncIterator()
            guard case .welcome = try await frames.next() else { return }
            let outbound = connection.outbound
            let flight = InFlight()
            // The reader says when answers come; the closed-loop sender waits for that instead of spinning.
            let (answers, answerArrived) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    var arrivals = answers.makeAsyncIterator()
                    var sent = 0
                    var due = ContinuousClock.now
                    let interval = pace.map { Duration.seconds(1 / $0) }
                    while ContinuousClock.now < measuring.upperBound {
                        var messages: [(header: Header, body: [UInt8])] = []
                        var intended: [ContinuousClock.Instant] = []
                        if let interval {
                            // Batch mode signs one batch at a time, as a node's session does: the next gathers what
                            // falls due until the router has answered the previous one.
                            if signatures == .batch, sent > flight.answered.load(ordering: .relaxed) {
                                guard await arrivals.next() != nil else { return }
                                continue
                            }
                            try await Task.sleep(until: due, tolerance: .microseconds(50))
                            // Every message due goes now, each with its intended time.
                            while due <= ContinuousClock.now {
                                let header = header(from: identity.nodeID, to: recipient, at: clock.now, index: sent)
                                messages.append((header, body))
                                intended.append(due)
                                flight.sentAt.withLock { [due] in $0[header.id] = due }
                                sent += 1
                                due += interval
                            }
                        } else {
                            // Refill in batches (one write, one TLS record) once half the window is free.
                            // Ends with the run (its tasks are cancelled then): a router that stops answering ends the
                            // run with what was measured instead of holding it for ever.
                            while sent - flight.answered.load(ordering: .relaxed) > window / 2 {
                                guard await arrivals.next() != nil else { return }
                            }
                            let now = ContinuousClock.now
                            while sent - flight.answered.load(ordering: .relaxed) + messages.count < window {
                                let header = header(
                                    from: identity.nodeID,
                                    to: recipient,
                                    at: clock.now,
                                    index: sent + messages.count
                                )
                                messages.append((header, body))
                            }
                            flight.sentAt.withLock { sentAt in
                                for message in messages { sentAt[message.header.id] = now }
                            }
                            sent += messages.count
                            intended = Array(repeating: now, count: messages.count)
                        }
                        let batch = try identity.seal(messages, mode: signatures).map {
                            Frame.message(envelope: $0.wireBytes())
                        }
                        if !batch.isEmpty { try await outbound.send(batch) }
                        let written = ContinuousClock.now
                        for start in intended where measuring.contains(start) { beforeWrite.record(written - start) }
                    }
                }
                while let frame = try await frames.next() {
                    let id: UUID
                    switch frame {
                    case .ack(let ack): id = ack.message
                    case .nack(let refusal): id = refusal.message
                    default: continue
                    }
                    flight.answered.add(1, ordering: .relaxed)
                    answerArrived.yield()
                    let now = ContinuousClock.now
                    if let start = flight.sentAt.withLock({ $0.removeValue(forKey: id) }), measuring.contains(start) {
                        latency.record(now - start)
                    }
                }
                group.cancelAll()
            }
        }
    }

    /// Verifies each delivery and answers it with a signed receipt. A receipt waits up to the receipt delay (20 ms,
    /// `eixm load`'s default) for others to share its write and, in batch mode, its signature: up to the batch
    /// maximum (256, `eixm load`'s default) in batch mode, 16 in per-message mode (each signed on its own). Counts
    /// the deliveries inside the measuring interval.
    static func receive(
        as identity: NodeIdentity,
        signatures: SignatureMode,
        client: TLSClient,
        keys: KeyDirectory,
        counter: RouteCounter,
        from start: ContinuousClock.Instant,
        until end: ContinuousClock.Instant
    ) async throws {
        try await client.connect { connection in
            try await connection.outbound.send([.hello(node: identity.nodeID)])
            var frames = connection.inbound.makeAsyncIterator()
            guard case .welcome(let welcome) = try await frames.next() else { return }
            let waiting = Locked<[DeliveryReceipt.Content]>([])
            let outbound = connection.outbound
            @Sendable func sign() async throws {
                let receipts = waiting.withLock { waiting in
                    defer { waiting = [] }
                    return waiting
                }
                guard !receipts.isEmpty else { return }
                try await outbound.send(try identity.receipts(receipts, mode: signatures).map(Frame.receipt))
            }
            let maximum = signatures == .batch ? LoadConfiguration.defaultBatchMaximum : 16
            let (firstWaiting, firstWaits) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await _ in firstWaiting {
                        try await Task.sleep(for: RouterSession.Sealing.defaultReceiptDelay)
                        try await sign()
                    }
                }
                while let frame = try await frames.next() {
                    guard case .delivery(let delivery) = frame,
                        let envelope = try? Envelope(wireBytes: delivery.envelope),
                        let verified = keys.verifiedDelivery(envelope)
                    else { continue }
                    let count = waiting.withLock { waiting in
                        waiting.append(verified.receipt(at: welcome.simulatedTime))
                        return waiting.count
                    }
                    if count >= maximum {
                        try await sign()
                    } else if count == 1 {
                        firstWaits.yield()
                    }
                    let now = ContinuousClock.now
                    if now >= start, now < end { counter.increment() }
                }
                group.cancelAll()
            }
        }
    }
}

/// One sender's messages in flight: when each was sent (or meant to be), and how many were answered.
final class InFlight: Sendable {
    let sentAt = Locked<[UUID: ContinuousClock.Instant]>([:])
    let answered = Atomic<Int>(0)
}

extension RouteBenchmark {
    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

extension SignatureMode: ExpressibleByArgument {}
