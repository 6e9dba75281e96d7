import EIXMCrypto
import EIXMModel
import EIXMNodes
import EIXMRules
import EIXMTestKit
import EIXMTransport
import Foundation
import Logging
import Testing

/// One node on an in-process network, with the test in the router's place.
@Suite("Exercise nodes", .timeLimit(.minutes(1)))
struct ExerciseNodeTests {
    /// A French SPOC that sends nothing of its own and answers every request with a reply after one simulated hour.
    struct Setup {
        let pki: ExercisePKI
        let clock = ManualClock()
        let network = InProcessNetwork()
        let witness = AcknowledgementWitness()
        let node: ExerciseNode

        /// With `state`, the node keeps its journal there (as `eixm node --state` does), on the PKI `pki`.
        init(state: URL? = nil, pki: ExercisePKI? = nil) throws {
            self.pki = try pki ?? ExercisePKI.generate(nodes: [.spoc(.be), .spoc(.fr)])
            let behaviour = NodeBehaviour(
                requestsPerHour: 0,
                spontaneousPerHour: 0,
                replyDelayHours: 1...1,
                refusalShare: 0,
                clarificationShare: 0,
                delayNoticeShare: 0
            )
            node = ExerciseNode(
                identity: try self.pki.identity(for: .spoc(.fr)),
                behaviour: behaviour,
                rules: .builtIn(),
                keys: try self.pki.keyDirectory(),
                peers: [.spoc(.be), .spoc(.fr)],
                clock: clock,
                transport: ObservedClient(base: network.client(as: .spoc(.fr)), observe: witness.observe),
                seed: 7,
                journal: try state.map { try NodeJournal(directory: $0) },
                logger: Logger(label: "test.node", factory: { _ in SwiftLogNoOpLogHandler() })
            )
            witness.node.withLock { $0 = node }
        }

        /// Delivers a request from Belgium, due in eight hours, and returns its ID once the node has acknowledged it
        /// and scheduled its answer.
        func deliverRequest(_ index: UInt8, through router: inout Router) async throws -> UUID {
            var header = SampleMessages.request()
            header.id = SampleMessages.id(index)
            header.createdAt = clock.now
            let envelope = try pki.identity(for: .spoc(.be)).seal(header, body: Array("request".utf8))
            try await router.send(
                .delivery(Frame.Delivery(envelope: envelope.wireBytes(), deadline: clock.now.adding(seconds: 8 * 3600)))
            )
            // The receipt: France's own signature over what it was delivered, checked with France's key.
            guard case .receipt(let receipt) = try await router.next() else {
                Issue.record("the delivery was not answered with a receipt")
                return header.id
            }
            #expect(receipt.content == DeliveryReceipt.Content(receiving: envelope, at: receipt.content.receivedAt))
            #expect(try pki.keyDirectory().verify(receipt, from: .spoc(.fr)).isValid)
            await clock.waitForSleepers(1)
            return header.id
        }

        /// Runs the node, and `body` in the router's place on the node's connection; the node's task is cancelled
        /// and awaited when `body` returns.
        func running(_ body: @escaping @Sendable (inout Router) async throws -> Void) async throws {
            let (results, result) = AsyncStream<Result<Void, any Error>>.makeStream()
            let server = network.server
            let node = self.node
            let clock = self.clock
            let far = clock.now.adding(seconds: 365 * 86400)
            let nodeTask = Task { await node.run(trafficUntil: clock.now, until: far) }
            let serverTask = Task {
                try await server.serve { connection in
                    do {
                        var router = Router(connection: connection)
                        guard case .hello(.spoc(.fr)) = try await router.next() else {
                            throw FrameError(.invalidValue, "no HELLO")
                        }
                        try await router.send(
                            .welcome(
                                Frame.Welcome(router: .router, simulatedTime: clock.now, heartbeatMilliseconds: 600_000)
                            )
                        )
                        try await body(&router)
                        result.yield(.success(()))
                    } catch {
                        result.yield(.failure(error))
                    }
                }
            }
            defer { serverTask.cancel() }
            var iterator = results.makeAsyncIterator()
            let outcome = await iterator.next()
            nodeTask.cancel()
            await nodeTask.value
            try outcome?.get()
        }
    }

    /// Looks at the node while it sends each delivery's receipt, before the receipt leaves: was the message already
    /// among those the node acted on?
    final class AcknowledgementWitness: Sendable {
        let node = Locked<ExerciseNode?>(nil)
        let actedOnWhenAcknowledged = Locked<[UUID: Bool]>([:])

        func observe(_ frames: [Frame]) async {
            guard let node = node.withLock({ $0 }) else { return }
            for case .receipt(let receipt) in frames {
                let acted = await node.snapshot().actedOn.contains(receipt.message)
                actedOnWhenAcknowledged.withLock { $0[receipt.message] = acted }
            }
        }
    }

    /// A client transport whose outbound calls `observe` with each batch of frames before sending it.
    struct ObservedClient: ClientTransport {
        let base: any ClientTransport
        let observe: @Sendable ([Frame]) async -> Void

        struct Outbound: FrameOutbound {
            let base: any FrameOutbound
            let observe: @Sendable ([Frame]) async -> Void

            func send(_ frames: [Frame]) async throws {
                await observe(frames)
                try await base.send(frames)
            }

            func close() async { await base.close() }
        }

        func connect(_ body: (PeerConnection) async throws -> Void) async throws {
            try await base.connect { connection in
                try await body(
                    PeerConnection(
                        peer: connection.peer,
                        inbound: connection.inbound,
                        outbound: Outbound(base: connection.outbound, observe: observe)
                    )
                )
            }
        }
    }

    /// The router's end of the node's connection.
    struct Router {
        let connection: PeerConnection
        var frames: FrameInbound.AsyncIterator

        init(connection: PeerConnection) {
            self.connection = connection
            frames = connection.inbound.makeAsyncIterator()
        }

        func send(_ frame: Frame) async throws { try await connection.outbound.send([frame]) }

        /// The next frame that is not a heartbeat.
        mutating func next() async throws -> Frame? {
            while let frame = try await frames.next() {
                if case .heartbeat = frame { continue }
                return frame
            }
            return nil
        }
    }

    @Test("a delivery is acted on before it is acknowledged, and a request is answered when its reply is due")
    func actsThenAcknowledges() async throws {
        let setup = try Setup()
        try await setup.running { router in
            let id = try await setup.deliverRequest(1, through: &router)
            // By the time the ACK leaves the node, the message is among those it acted on: a router that has the
            // ACK can count the delivery as done.
            #expect(setup.witness.actedOnWhenAcknowledged.withLock { $0[id] } == true)
            setup.clock.advance(seconds: 3600)
            guard case .message(let bytes) = try await router.next() else {
                Issue.record("no reply")
                return
            }
            let reply = try Envelope(wireBytes: bytes).header
            #expect(reply.messageType == .reply)
            #expect(reply.inReplyTo == id)
            #expect(reply.to == [.spoc(.be)])
        }
        let statistics = await setup.node.snapshot()
        #expect(statistics.answered == 1)
        #expect(statistics.answeredInTime == 1)
    }

    @Test(
        "a delivery sent again (after a reconnect or a router restart) is acknowledged again and acted on once: one reply"
    )
    func actsOncePerMessageID() async throws {
        let setup = try Setup()
        try await setup.running { router in
            let id = try await setup.deliverRequest(3, through: &router)
            #expect(try await setup.deliverRequest(3, through: &router) == id)
            setup.clock.advance(seconds: 3600)
            guard case .message(let bytes) = try await router.next() else {
                Issue.record("no reply")
                return
            }
            #expect(try Envelope(wireBytes: bytes).header.inReplyTo == id)
        }
        let statistics = await setup.node.snapshot()
        #expect(statistics.received == 1)
        #expect(statistics.duplicatesSuppressed == 1)
        #expect(statistics.answered == 1)
    }

    @Test(
        "a node restarted on its journal acknowledges a redelivery of what it acted on without acting on it again, and sends the reply it owed"
    )
    func restartedOnItsJournal() async throws {
        try await TemporaryDirectory.with { folder in
            let first = try Setup(state: folder)
            try await first.running { router in
                _ = try await first.deliverRequest(4, through: &router)
            }
            #expect(await first.node.snapshot().answered == 0)
            // The router never had the ACK (the node died first), so it delivers the request again.
            let second = try Setup(state: folder, pki: first.pki)
            try await second.running { router in
                let id = try await second.deliverRequest(4, through: &router)
                second.clock.advance(seconds: 3600)
                guard case .message(let bytes) = try await router.next() else {
                    Issue.record("no reply")
                    return
                }
                #expect(try Envelope(wireBytes: bytes).header.inReplyTo == id)
            }
            let statistics = await second.node.snapshot()
            #expect(statistics.received == 0)
            #expect(statistics.duplicatesSuppressed == 1)
            #expect(statistics.answered == 1)
        }
    }

    @Test("after traffic stops, answers that come due are not sent, so that what is in flight can drain")
    func stoppedNodeSendsNoAnswers() async throws {
        let setup = try Setup()
        try await setup.running { router in
            _ = try await setup.deliverRequest(2, through: &router)
            await setup.node.stopTraffic()
            setup.clock.advance(seconds: 3600)
        }
        // The node's task has ended, and with it the answer that came due after the stop.
        let statistics = await setup.node.snapshot()
        #expect(statistics.received == 1)
        #expect(statistics.answered == 0)
        #expect(statistics.sent == 0)
    }
}
