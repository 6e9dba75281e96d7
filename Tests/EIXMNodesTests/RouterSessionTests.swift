import EIXMAudit
import EIXMCrypto
import EIXMModel
import EIXMNodes
import EIXMRouter
import EIXMRules
import EIXMTestKit
import EIXMTransport
import Foundation
import Logging
import Testing

/// Sessions with a real router on an in-process network whose links fail on purpose.
@Suite("Router sessions", .timeLimit(.minutes(1)))
struct RouterSessionTests {
    static let quiet = Logger(label: "test.session", factory: { _ in SwiftLogNoOpLogHandler() })
    static let fast = RouterSession.Backoff(initial: .milliseconds(5), maximum: .milliseconds(50))

    /// A router serving an in-process network, Belgium's session behind a link that can fail, France's on a sound one.
    struct Setup {
        let pki: ExercisePKI
        let clock = ManualClock()
        let network = InProcessNetwork()
        let router: Router
        let link: PartitionableClient
        let sender: RouterSession
        let receiver: RouterSession
        let senderSide = SessionRecorder()
        let receiverSide = SessionRecorder()

        init(sealing mode: SignatureMode? = nil) throws {
            pki = try ExercisePKI.generate(nodes: [.spoc(.be), .spoc(.fr), .europol])
            router = Router(
                configuration: RouterConfiguration(),
                rules: RulesEngine(configuration: .builtIn()),
                keys: try pki.keyDirectory(),
                clock: clock,
                audit: InMemoryAuditLog(),
                logger: RouterSessionTests.quiet
            )
            link = PartitionableClient(network.client(as: .spoc(.be)))
            let belgium = try pki.identity(for: .spoc(.be))
            sender = RouterSession(
                sealing: RouterSession.Sealing(identity: belgium, mode: mode ?? .perMessage, batchMaximum: 256),
                transport: link,
                backoff: RouterSessionTests.fast,
                seed: 1,
                logger: RouterSessionTests.quiet
            )
            receiver = RouterSession(
                sealing: RouterSession.Sealing(
                    identity: try pki.identity(for: .spoc(.fr)),
                    mode: mode ?? .perMessage,
                    batchMaximum: 256
                ),
                transport: network.client(as: .spoc(.fr)),
                seed: 2,
                logger: RouterSessionTests.quiet
            )
        }

        /// Requests from Belgium to France that the rules accept, unsigned, with the test's own IDs.
        func unsigned(_ indices: ClosedRange<UInt8>) -> [(header: Header, body: [UInt8])] {
            indices.map { index in
                var header = SampleMessages.request()
                header.id = SampleMessages.id(index)
                header.copyToEuropol = false
                header.copyToEuropolReason = "not linked to Europol's projects"
                header.createdAt = clock.now
                return (header, Array("request \(index)".utf8))
            }
        }

        /// The same requests, sealed.
        func requests(_ indices: ClosedRange<UInt8>) throws -> [(id: UUID, bytes: [UInt8])] {
            try unsigned(indices).map { header, body in
                (header.id, try pki.identity(for: .spoc(.be)).seal(header, body: body).wireBytes())
            }
        }

        /// Runs the router and both sessions around `body`.
        func running(_ body: () async throws -> Void) async throws {
            let (router, server, sender, receiver) = (router, network.server, sender, receiver)
            let (senderSide, receiverSide) = (senderSide, receiverSide)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await server.serve { await router.serve($0) } }
                group.addTask { await sender.run(senderSide) }
                group.addTask { await receiver.run(receiverSide) }
                try await body()
                group.cancelAll()
            }
        }
    }

    @Test(
        "a session cut by a partition reconnects and sends again what the router had not answered: each message is answered ACCEPTED once and delivered once"
    )
    func resendsAfterPartition() async throws {
        let setup = try Setup()
        let messages = try setup.requests(1...10)
        let ids = Set(messages.map(\.id))
        try await setup.running {
            #expect(await setup.sender.firstWelcome())
            #expect(await setup.receiver.firstWelcome())
            // Belgium reads nothing more: the router's answers wait unread, as if lost on the way.
            setup.link.slowReads(by: .seconds(3600))
            setup.sender.send(messages)
            // France received all ten: the router accepted them, and Belgium does not know.
            await setup.receiverSide.waitUntil { Set($0.deliveries.keys) == ids }
            #expect(setup.sender.unansweredCount == 10)
            await setup.link.partition()
            setup.link.slowReads(by: nil)
            setup.link.heal()
            await setup.senderSide.waitUntil { $0.answers.count == 10 }
            let sender = await setup.senderSide.snapshot
            let receiver = await setup.receiverSide.snapshot
            #expect(Set(sender.answers.keys) == ids)
            #expect(sender.answers.values.allSatisfy { $0 == nil }, "every message answered ACCEPTED, none refused")
            #expect(sender.answerCount == 10, "each message answered once")
            #expect(
                receiver.deliveries == Dictionary(uniqueKeysWithValues: ids.map { ($0, 1) }),
                "each message delivered once"
            )
            let statistics = setup.sender.statistics
            #expect(statistics.resent == 10)
            #expect(statistics.reconnects == 1)
            #expect(statistics.connected)
            #expect(statistics.timeWithoutRouter > .zero)
            #expect(setup.sender.unansweredCount == 0)
        }
    }

    @Test(
        "messages sent while the router cannot be reached wait in the session and go on its first connection, not counted as resent"
    )
    func sendsWhatWaitedForTheFirstConnection() async throws {
        let setup = try Setup()
        await setup.link.partition()
        let messages = try setup.requests(1...3)
        setup.sender.send(messages)
        try await setup.running {
            #expect(setup.sender.unansweredCount == 3)
            setup.link.heal()
            await setup.senderSide.waitUntil { $0.answers.count == 3 }
            await setup.receiverSide.waitUntil { $0.deliveries.count == 3 }
            #expect(Set(await setup.senderSide.snapshot.answers.keys) == Set(messages.map(\.id)))
            #expect(setup.sender.statistics.resent == 0)
            #expect(setup.sender.statistics.reconnects == 0)
        }
    }

    @Test(
        "messages handed over unsigned while the router cannot be reached are signed as one batch on connection, an idle writer signs a batch of one, and each envelope verifies alone"
    )
    func sealsWhatIsQueuedWhenTheWriterIsFree() async throws {
        let setup = try Setup(sealing: .batch)
        let key = try setup.pki.identity(for: .spoc(.be)).publicKey
        await setup.link.partition()
        let waiting = setup.unsigned(1...6)
        setup.sender.send(sealing: waiting)
        try await setup.running {
            #expect(setup.sender.unansweredCount == 6)
            setup.link.heal()
            await setup.receiverSide.waitUntil { $0.deliveries.count == 6 }
            await setup.senderSide.waitUntil { $0.answers.count == 6 }
            let first = await setup.receiverSide.snapshot
            for (index, message) in waiting.enumerated() {
                let envelope = try #require(first.envelopes[message.header.id])
                guard case .batch(let batch) = envelope.signature else {
                    Issue.record("message \(index) was not batch-signed")
                    continue
                }
                #expect(batch.batchSize == 6, "all six waited and were signed together")
                #expect(batch.leafIndex == UInt32(index), "in the order handed over")
                #expect(envelope.body == message.body)
                #expect(envelope.isValidSignature(for: key), "verifies alone, without any cache")
            }
            #expect(await setup.senderSide.snapshot.answers.values.allSatisfy { $0 == nil })
            // Connected and idle: one message is signed alone at once.
            let single = setup.unsigned(7...7)
            setup.sender.send(sealing: single)
            await setup.receiverSide.waitUntil { $0.deliveries.count == 7 }
            let envelope = try #require(await setup.receiverSide.snapshot.envelopes[single[0].header.id])
            guard case .batch(let batch) = envelope.signature else {
                Issue.record("not batch-signed")
                return
            }
            #expect(batch.batchSize == 1)
            #expect(envelope.isValidSignature(for: key))
            #expect(setup.sender.unansweredCount == 0 || setup.sender.unansweredCount == 1)
        }
    }

    @Test(
        "in batch mode the next batch waits for the router's answers to the previous one, gathering what is handed over meanwhile"
    )
    func nextBatchWaitsForAnswers() async throws {
        let setup = try Setup(sealing: .batch)
        let first = setup.unsigned(1...1)
        let later = setup.unsigned(2...4)
        try await setup.running {
            #expect(await setup.sender.firstWelcome())
            // Belgium reads nothing more: the router's answer to the first message waits unread.
            setup.link.slowReads(by: .seconds(3600))
            setup.sender.send(sealing: first)
            await setup.receiverSide.waitUntil { $0.deliveries.count == 1 }
            // Handed over one by one while the first is unanswered: none is signed yet.
            for message in later { setup.sender.send(sealing: [message]) }
            #expect(setup.sender.unansweredCount == 4)
            // The link is cut and made again: the first is resent, then the three go as one batch.
            await setup.link.partition()
            setup.link.slowReads(by: nil)
            setup.link.heal()
            await setup.receiverSide.waitUntil { $0.deliveries.count == 4 }
            await setup.senderSide.waitUntil { $0.answers.count == 4 }
            let snapshot = await setup.receiverSide.snapshot
            for (index, message) in later.enumerated() {
                let envelope = try #require(snapshot.envelopes[message.header.id])
                guard case .batch(let batch) = envelope.signature else {
                    Issue.record("not batch-signed")
                    continue
                }
                #expect(batch.batchSize == 3, "the three waited for the first one's answer and went together")
                #expect(batch.leafIndex == UInt32(index))
            }
            #expect(snapshot.deliveries.values.allSatisfy { $0 == 1 }, "each delivered once")
        }
    }

    @Test("the sealer's rule: up to the batch maximum; in batch mode nothing while the last batch is unanswered")
    func sealingCount() throws {
        let belgium = try ExercisePKI.generate(nodes: [.spoc(.be)]).identity(for: .spoc(.be))
        let batch = RouterSession.Sealing(identity: belgium, mode: .batch, batchMaximum: 4)
        #expect(batch.count(waiting: 3, batchInFlight: 0) == 3)
        #expect(batch.count(waiting: 9, batchInFlight: 0) == 4)
        #expect(batch.count(waiting: 9, batchInFlight: 1) == 0)
        #expect(batch.count(waiting: 0, batchInFlight: 0) == 0)
        let single = RouterSession.Sealing(identity: belgium, mode: .perMessage, batchMaximum: 4)
        #expect(single.count(waiting: 9, batchInFlight: 1) == 4)
        #expect(RouterSession.Sealing(identity: belgium, mode: .batch, batchMaximum: 100_000).batchMaximum == 4_096)
    }

    @Test("in per-message mode the session signs each message handed over alone")
    func sealsPerMessage() async throws {
        let setup = try Setup(sealing: .perMessage)
        let key = try setup.pki.identity(for: .spoc(.be)).publicKey
        let messages = setup.unsigned(1...3)
        try await setup.running {
            #expect(await setup.sender.firstWelcome())
            setup.sender.send(sealing: messages)
            await setup.receiverSide.waitUntil { $0.deliveries.count == 3 }
            for message in messages {
                let envelope = try #require(await setup.receiverSide.snapshot.envelopes[message.header.id])
                #expect(envelope.signature.scheme == SignatureBlock.ed25519Scheme)
                #expect(envelope.isValidSignature(for: key))
            }
        }
    }

    @Test("when the router's answer to a message and its answer to the resend both arrive, only the first is passed on")
    func passesOnTheFirstAnswerOnly() async throws {
        let setup = try Setup()
        let messages = try setup.requests(1...5)
        let network = InProcessNetwork()
        let session = RouterSession(
            sealing: RouterSession.Sealing(
                identity: try setup.pki.identity(for: .spoc(.be)),
                mode: .perMessage,
                batchMaximum: 1
            ),
            transport: network.client(as: .spoc(.be)),
            seed: 3,
            logger: Self.quiet
        )
        let side = SessionRecorder()
        let server = network.server
        await withThrowingTaskGroup(of: Void.self) { group in
            // A stand-in for a router whose ACCEPTED to the first send arrives together with its ACCEPTED to a resend.
            group.addTask {
                try await server.serve { connection in
                    var frames = connection.inbound.makeAsyncIterator()
                    do {
                        guard try await StandInRouter.welcome(connection, reading: &frames) else { return }
                        while let frame = try await frames.next() {
                            guard case .message(let bytes) = frame, let envelope = try? Envelope(wireBytes: bytes)
                            else { continue }
                            let accepted = Frame.ack(
                                Frame.Acknowledgement(message: envelope.header.id, kind: .accepted)
                            )
                            try await connection.outbound.send([accepted, accepted])
                        }
                    } catch {}
                }
            }
            group.addTask { await session.run(side) }
            #expect(await session.firstWelcome())
            session.send(Array(messages.dropLast()))
            await side.waitUntil { $0.answers.count == messages.count - 1 }
            // Answers are read in order: once the last message's first answer is read, every earlier second one has been.
            session.send([messages[messages.count - 1]])
            await side.waitUntil { $0.answers.count == messages.count }
            group.cancelAll()
        }
        let snapshot = await side.snapshot
        #expect(Set(snapshot.answers.keys) == Set(messages.map(\.id)))
        #expect(snapshot.answerCount == messages.count, "each message's first answer passed on, and no second one")
    }

    @Test(
        "a session that never reaches the router ends when its task is cancelled, and whoever waits for its first WELCOME is told it never came"
    )
    func neverConnected() async throws {
        let setup = try Setup()
        await setup.link.partition()
        let session = setup.sender
        let side = setup.senderSide
        let running = Task { await session.run(side) }
        let waiting = Task { await session.firstWelcome() }
        running.cancel()
        await running.value
        #expect(await waiting.value == false)
        #expect(await session.firstWelcome() == false)
        #expect(session.statistics.connections == 0)
    }
}

/// What a session's handler was told, with a way to wait for a condition on it.
actor SessionRecorder: RouterSessionHandler {
    struct Snapshot: Sendable {
        /// First answers by message: `nil` for ACCEPTED, else the refusal.
        var answers: [UUID: Frame.Refusal?] = [:]
        var answerCount = 0
        /// Deliveries by message, counted each time one arrives.
        var deliveries: [UUID: Int] = [:]
        /// The envelope of each message delivered (the last one).
        var envelopes: [UUID: Envelope] = [:]
    }

    private(set) var snapshot = Snapshot()
    private var waiters:
        [Int: (condition: @Sendable (Snapshot) -> Bool, continuation: CheckedContinuation<Void, Never>)] = [:]
    private var nextWaiter = 0

    /// Returns once `condition` holds, or when the task is cancelled (a test's time limit): the expectations that
    /// follow then fail by name instead of the run hanging.
    func waitUntil(_ condition: @escaping @Sendable (Snapshot) -> Bool) async {
        if condition(snapshot) { return }
        let id = nextWaiter
        nextWaiter += 1
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                if Task.isCancelled { continuation.resume() } else { waiters[id] = (condition, continuation) }
            }
        } onCancel: {
            Task { await self.release(id) }
        }
    }

    private func release(_ id: Int) { waiters.removeValue(forKey: id)?.continuation.resume() }

    private func changed() {
        for (id, waiter) in waiters where waiter.condition(snapshot) {
            waiters.removeValue(forKey: id)
            waiter.continuation.resume()
        }
    }

    func mayConnect() -> Bool { true }

    func welcomed(_ welcome: Frame.Welcome) {}

    func delivered(_ delivery: Frame.Delivery) -> DeliveryReceipt.Content? {
        guard let envelope = try? Envelope(wireBytes: delivery.envelope) else { return nil }
        snapshot.deliveries[envelope.header.id, default: 0] += 1
        snapshot.envelopes[envelope.header.id] = envelope
        changed()
        return DeliveryReceipt.Content(receiving: envelope, at: Timestamp(millisecondsSinceEpoch: 0))
    }

    func answered(_ id: UUID, refusal: Frame.Refusal?) {
        snapshot.answers[id] = refusal
        snapshot.answerCount += 1
        changed()
    }
}
