import EIXMCrypto
import EIXMModel
import EIXMNodes
import EIXMTestKit
import EIXMTransport
import Foundation
import Logging
import Testing

/// In batch mode a session's receipts wait up to the receipt delay for others to share their signature: a stand-in
/// router delivers one message at a time and watches what comes back.
@Suite("Receipt delay", .timeLimit(.minutes(1)))
struct ReceiptDelayTests {
    static let quiet = Logger(label: "test.receipts", factory: { _ in SwiftLogNoOpLogHandler() })

    /// What the stand-in router received after its WELCOME, in order.
    final class Received: Sendable {
        private let received = Locked<[Frame]>([])
        private let waiters = Waiters<Void>()

        var frames: [Frame] { received.withLock { $0 } }

        var receipts: [DeliveryReceipt] {
            frames.compactMap { frame in
                guard case .receipt(let receipt) = frame else { return nil }
                return receipt
            }
        }

        func add(_ frame: Frame) {
            received.withLock { $0.append(frame) }
            waiters.resumeAll(returning: ())
        }

        /// Returns once `condition` holds, or when the task is cancelled (a test's time limit: the expectations that
        /// follow then fail instead of the run hanging).
        func waitUntil(_ condition: ([Frame]) -> Bool) async {
            while !Task.isCancelled, !condition(frames) {
                await waiters.wait(cancelled: ()) { condition(frames) ? () : nil }
            }
        }
    }

    /// France's handler: takes every delivery, counts them, and leaves when told to.
    final class Recipient: RouterSessionHandler {
        private let state = Locked((delivered: 0, leaving: false))
        private let waiters = Waiters<Void>()

        func mayConnect() -> Bool { !state.withLock { $0.leaving } }
        func welcomed(_ welcome: Frame.Welcome) {}
        func answered(_ id: UUID, refusal: Frame.Refusal?) {}
        func shouldLeave() -> Bool { state.withLock { $0.leaving } }
        func leave() { state.withLock { $0.leaving = true } }

        func delivered(_ delivery: Frame.Delivery) -> DeliveryReceipt.Content? {
            guard let envelope = try? Envelope(wireBytes: delivery.envelope) else { return nil }
            state.withLock { $0.delivered += 1 }
            waiters.resumeAll(returning: ())
            return DeliveryReceipt.Content(receiving: envelope, at: Timestamp(millisecondsSinceEpoch: 0))
        }

        /// Returns once the handler has taken `count` deliveries (or the task is cancelled).
        func waitForDeliveries(_ count: Int) async {
            let taken = { self.state.withLock { $0.delivered } >= count }
            while !Task.isCancelled, !taken() {
                await waiters.wait(cancelled: ()) { taken() ? () : nil }
            }
        }
    }

    /// Runs France's session against a stand-in router that delivers each of `envelopes` when `deliver` is told to.
    static func run(
        pki: ExercisePKI,
        receiptDelay: Duration,
        batchMaximum: Int,
        heartbeatMilliseconds: UInt32 = 60_000,
        _ body: (
            _ deliver: @escaping @Sendable ([UInt8]) -> Void, _ received: Received, _ recipient: Recipient
        ) async throws -> Void
    ) async throws {
        let network = InProcessNetwork()
        let session = RouterSession(
            sealing: RouterSession.Sealing(
                identity: try pki.identity(for: .spoc(.fr)),
                mode: .batch,
                batchMaximum: batchMaximum,
                receiptDelay: receiptDelay
            ),
            transport: network.client(as: .spoc(.fr)),
            seed: 5,
            logger: quiet
        )
        let received = Received()
        let recipient = Recipient()
        let (deliveries, deliver) = AsyncStream<[UInt8]>.makeStream()
        let server = network.server
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await server.serve { connection in
                    var frames = connection.inbound.makeAsyncIterator()
                    do {
                        let welcomed = try await StandInRouter.welcome(
                            connection,
                            reading: &frames,
                            heartbeatMilliseconds: heartbeatMilliseconds
                        )
                        guard welcomed else { return }
                        let outbound = connection.outbound
                        try await withThrowingTaskGroup(of: Void.self) { inner in
                            inner.addTask {
                                for await envelope in deliveries {
                                    try await outbound.send([.delivery(Frame.Delivery(envelope: envelope))])
                                }
                            }
                            while let frame = try await frames.next() {
                                received.add(frame)
                                if case .goodbye = frame { break }
                            }
                            inner.cancelAll()
                        }
                    } catch {}
                }
            }
            group.addTask { await session.run(recipient) }
            #expect(await session.firstWelcome())
            try await body({ deliver.yield($0) }, received, recipient)
            group.cancelAll()
        }
    }

    /// Belgium's and France's PKI, `count` sealed requests from Belgium to France, and the keys to check receipts.
    static func fixture(envelopes count: UInt8) throws -> (ExercisePKI, [[UInt8]], KeyDirectory) {
        let pki = try ExercisePKI.generate(nodes: [.spoc(.be), .spoc(.fr)])
        return (pki, try envelopes(count, pki: pki), try pki.keyDirectory())
    }

    /// Sealed requests from Belgium to France.
    static func envelopes(_ count: UInt8, pki: ExercisePKI) throws -> [[UInt8]] {
        try (1...count).map { index in
            var header = SampleMessages.request()
            header.id = SampleMessages.id(index)
            return try pki.identity(for: .spoc(.be)).seal(header, body: Array("request \(index)".utf8)).wireBytes()
        }
    }

    /// Delivers each envelope once the recipient has taken the one before.
    static func deliverOneByOne(
        _ envelopes: some Sequence<[UInt8]>,
        _ deliver: @Sendable ([UInt8]) -> Void,
        to recipient: Recipient
    ) async {
        for (index, envelope) in envelopes.enumerated() {
            deliver(envelope)
            await recipient.waitForDeliveries(index + 1)
        }
    }

    static func ids(of envelopes: [[UInt8]]) throws -> Set<UUID> {
        Set(try envelopes.map { try Envelope(wireBytes: $0).header.id })
    }

    static func receiptCount(_ frames: some Sequence<Frame>) -> Int {
        frames.count { if case .receipt = $0 { true } else { false } }
    }

    /// Checks that `receipts` are one batch, signed by France, each naming one of `ids`.
    static func expectOneBatch(_ receipts: [DeliveryReceipt], of ids: Set<UUID>, keys: KeyDirectory) {
        #expect(Set(receipts.map(\.message)) == ids)
        let batches = receipts.compactMap { receipt -> BatchSignature? in
            guard case .batch(let batch) = receipt.signature else { return nil }
            return batch
        }
        #expect(batches.count == receipts.count, "every receipt batch-signed")
        #expect(Set(batches.map(\.rootSignature)).count == 1, "one root signature for all of them")
        #expect(batches.allSatisfy { Int($0.batchSize) == ids.count })
        #expect(receipts.allSatisfy { keys.verify($0, from: .spoc(.fr)).isValid })
    }

    @Test(
        "receipts delivered one at a time wait for each other: none is sent before the batch maximum waits, then all go under one signature"
    )
    func batchMaximumEndsTheWait() async throws {
        let (pki, envelopes, keys) = try Self.fixture(envelopes: 4)
        try await Self.run(pki: pki, receiptDelay: .seconds(600), batchMaximum: 4) { deliver, received, recipient in
            await Self.deliverOneByOne(envelopes.dropLast(), deliver, to: recipient)
            // Three deliveries taken, each one by one. Nothing may have come back (no event says "nothing yet": a
            // session that signed each at once is caught by the one-signature check below).
            #expect(received.receipts.isEmpty, "no receipt before the delay or the batch maximum")
            deliver(envelopes[3])
            await received.waitUntil { Self.receiptCount($0) == 4 }
            Self.expectOneBatch(received.receipts, of: try Self.ids(of: envelopes), keys: keys)
        }
    }

    @Test("receipts waiting when the delay has passed go out together, without more deliveries")
    func delayEndsTheWait() async throws {
        let (pki, envelopes, keys) = try Self.fixture(envelopes: 3)
        // A delay long enough that the three deliveries, one after another, fall within it on a busy machine (2 s was
        // not, once, in a full suite on two loaded cores).
        try await Self.run(pki: pki, receiptDelay: .seconds(8), batchMaximum: 256) { deliver, received, recipient in
            await Self.deliverOneByOne(envelopes, deliver, to: recipient)
            await received.waitUntil { Self.receiptCount($0) == 3 }
            Self.expectOneBatch(received.receipts, of: try Self.ids(of: envelopes), keys: keys)
        }
    }

    @Test("a session leaving signs the receipts still waiting for the delay and sends them before its GOODBYE")
    func leavingSendsWaitingReceipts() async throws {
        let (pki, envelopes, keys) = try Self.fixture(envelopes: 2)
        try await Self.run(pki: pki, receiptDelay: .seconds(600), batchMaximum: 256, heartbeatMilliseconds: 50) {
            deliver,
            received,
            recipient in
            await Self.deliverOneByOne(envelopes, deliver, to: recipient)
            recipient.leave()
            await received.waitUntil { frames in frames.contains { if case .goodbye = $0 { true } else { false } } }
            let frames = received.frames
            let goodbye = try #require(frames.firstIndex { if case .goodbye = $0 { true } else { false } })
            let receipts = received.receipts
            #expect(Self.receiptCount(frames[..<goodbye]) == 2, "both receipts before the GOODBYE")
            Self.expectOneBatch(receipts, of: try Self.ids(of: envelopes), keys: keys)
        }
    }
}
