import Crypto
import EIXMAudit
import EIXMCrypto
import EIXMModel
import EIXMRouter
import EIXMTestKit
import EIXMTransport
import Foundation
import Testing

@Suite("Signed delivery receipts", .timeLimit(.minutes(1)))
struct DeliveryReceiptTests {
    /// Reads France's next delivery.
    static func delivery(to peer: inout TestPeer) async throws -> Frame.Delivery {
        guard case .delivery(let delivery) = try await peer.nextMeaningful() else {
            throw ReceiptTestError("no delivery")
        }
        return delivery
    }

    struct ReceiptTestError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    @Test(
        "a delivery answered with France's signed receipt is acknowledged once: the acknowledged record holds the receipt, which names the digests of the bytes Belgium signed and verifies with France's certified key"
    )
    func acknowledgedWithReceipt() async throws {
        let harness = try RouterHarness()
        let header = harness.request(1)
        let sealed = try harness.sealed(header)
        // The digests the test computes itself from what Belgium signed.
        let envelope = try Envelope(wireBytes: sealed)
        let headerDigest = Array(SHA256.hash(data: envelope.canonicalHeader))
        let bodyDigest = Array(SHA256.hash(data: envelope.body))
        let receivedAt = harness.clock.now.adding(seconds: 5)
        let france = try harness.pki.identity(for: .spoc(.fr))
        try await harness.running {
            try await harness.withPeers([.spoc(.be), .spoc(.fr)]) { peers in
                var belgium = try #require(peers[.spoc(.be)])
                var francePeer = try #require(peers[.spoc(.fr)])
                try await belgium.send(.message(envelope: sealed))
                #expect(try await harness.verdict(on: header, from: &belgium) == .accepted)
                let delivery = try await Self.delivery(to: &francePeer)
                let receipt = try france.receipt(forDelivered: delivery.envelope, at: receivedAt)
                try await francePeer.send(.receipt(receipt))
                // The router answers nothing to a good receipt; a second one for the same delivery is ignored.
                #expect(try await francePeer.sync() == [])
                try await francePeer.send(.receipt(receipt))
                #expect(try await francePeer.sync() == [])
            }
            // Connected again, France is not delivered the message a second time.
            try await harness.withPeers([.spoc(.fr)]) { peers in
                var francePeer = try #require(peers[.spoc(.fr)])
                #expect(try await francePeer.sync() == [])
            }
        }
        let acknowledged = harness.audit.events.filter { $0.kind == .acknowledged }
        #expect(acknowledged.count == 1)
        let record = try #require(acknowledged.first)
        #expect(record.messageID == header.id)
        #expect(record.node == .spoc(.fr))
        #expect(record.headerDigest == AuditRecordFormat.hex(headerDigest))
        #expect(record.bodyDigest == AuditRecordFormat.hex(bodyDigest))
        let receipt = try #require(record.receipt)
        #expect(receipt.content.headerDigest == headerDigest)
        #expect(receipt.content.bodyDigest == bodyDigest)
        #expect(receipt.content.receivedAt == receivedAt)
        #expect(try harness.pki.keyDirectory().verify(receipt, from: .spoc(.fr)).isValid)
        #expect(try harness.pki.keyDirectory().verify(receipt, from: .spoc(.be)).isValid == false)
    }

    @Test(
        "a receipt signed with Belgium's key, one naming another body or header, and one whose batch path was changed are each refused with RECEIPT and audited as receipt_refused; the delivery stays waiting, comes again on the next connection, and a good receipt then acknowledges it"
    )
    func forgedReceiptsRefused() async throws {
        let harness = try RouterHarness()
        let header = harness.request(2)
        let france = try harness.pki.identity(for: .spoc(.fr))
        let belgiumIdentity = try harness.pki.identity(for: .spoc(.be))
        try await harness.running {
            try await harness.withPeers([.spoc(.be), .spoc(.fr)]) { peers in
                var belgium = try #require(peers[.spoc(.be)])
                var francePeer = try #require(peers[.spoc(.fr)])
                try await belgium.send(.message(envelope: try harness.sealed(header)))
                #expect(try await harness.verdict(on: header, from: &belgium) == .accepted)
                let delivery = try await Self.delivery(to: &francePeer)
                let content = DeliveryReceipt.Content(
                    receiving: try Envelope(wireBytes: delivery.envelope),
                    at: harness.clock.now
                )
                var otherBody = content.bodyDigest
                otherBody[0] ^= 1
                var otherHeader = content.headerDigest
                otherHeader[31] ^= 0x80
                let batch = try france.receipts([content, content], mode: .batch)
                guard case .batch(let signature) = batch[0].signature else {
                    Issue.record("not a batch signature")
                    return
                }
                var path = signature.path
                path[0][0] ^= 1
                let forgedPath = DeliveryReceipt(
                    content: content,
                    signature: .batch(
                        try BatchSignature(
                            rootSignature: signature.rootSignature,
                            leafIndex: signature.leafIndex,
                            batchSize: signature.batchSize,
                            path: path
                        )
                    )
                )
                let forgeries: [(DeliveryReceipt, String)] = [
                    (try belgiumIdentity.receipts([content], mode: .perMessage)[0], "does not verify"),
                    (
                        try france.receipts(
                            [
                                try DeliveryReceipt.Content(
                                    message: content.message,
                                    headerDigest: content.headerDigest,
                                    bodyDigest: otherBody,
                                    receivedAt: content.receivedAt
                                )
                            ],
                            mode: .perMessage
                        )[0], "body digest"
                    ),
                    (
                        try france.receipts(
                            [
                                try DeliveryReceipt.Content(
                                    message: content.message,
                                    headerDigest: otherHeader,
                                    bodyDigest: content.bodyDigest,
                                    receivedAt: content.receivedAt
                                )
                            ],
                            mode: .perMessage
                        )[0], "header digest"
                    ),
                    (forgedPath, "does not verify"),
                ]
                for (forged, words) in forgeries {
                    try await francePeer.send(.receipt(forged))
                    // The refusal comes once it is audited.
                    let answer = try await francePeer.nextMeaningful()
                    guard case .nack(let refusal) = answer else {
                        Issue.record("the forged receipt (\(words)) was not refused: \(answer)")
                        continue
                    }
                    #expect(refusal.message == header.id)
                    #expect(refusal.checks == [.receipt])
                    #expect(refusal.reasons.first?.text.contains(words) == true, "\(refusal)")
                }
            }
            #expect(harness.audit.events.filter { $0.kind == .acknowledged }.isEmpty)
            try await harness.withPeers([.spoc(.fr)]) { peers in
                var francePeer = try #require(peers[.spoc(.fr)])
                let again = try await Self.delivery(to: &francePeer)
                #expect(try Envelope(wireBytes: again.envelope).header.id == header.id)
                try await francePeer.send(try harness.receipt(again, by: .spoc(.fr)))
                #expect(try await francePeer.sync() == [])
            }
        }
        let refused = harness.audit.events.filter { $0.kind == .receiptRefused }
        #expect(refused.count == 4)
        #expect(refused.allSatisfy { $0.messageID == header.id && $0.node == .spoc(.fr) && $0.rules == ["RECEIPT"] })
        #expect(refused.allSatisfy { $0.receipt != nil && $0.reasons.count == 1 })
        #expect(harness.audit.events.filter { $0.kind == .acknowledged }.count == 1)
        #expect(await harness.router.snapshot().receiptsRefused == 4)
    }

    @Test(
        "France's receipts for five deliveries, signed as one batch, acknowledge all five with one root signature checked; a receipt for a message never delivered to France is ignored"
    )
    func batchOfReceipts() async throws {
        let harness = try RouterHarness()
        let headers = (10...14).map { harness.request(UInt8($0)) }
        let france = try harness.pki.identity(for: .spoc(.fr))
        try await harness.running {
            try await harness.withPeers([.spoc(.be), .spoc(.fr)]) { peers in
                var belgium = try #require(peers[.spoc(.be)])
                var francePeer = try #require(peers[.spoc(.fr)])
                var contents: [DeliveryReceipt.Content] = []
                for header in headers {
                    try await belgium.send(.message(envelope: try harness.sealed(header)))
                    #expect(try await harness.verdict(on: header, from: &belgium) == .accepted)
                    let delivery = try await Self.delivery(to: &francePeer)
                    contents.append(
                        DeliveryReceipt.Content(
                            receiving: try Envelope(wireBytes: delivery.envelope),
                            at: harness.clock.now
                        )
                    )
                }
                let before = await harness.router.snapshot()
                let receipts = try france.receipts(contents, mode: .batch)
                try await francePeer.connection.outbound.send(receipts.map(Frame.receipt))
                #expect(try await francePeer.sync() == [])
                let after = await harness.router.snapshot()
                #expect(after.receiptRootVerifications == before.receiptRootVerifications + 1)
                #expect(
                    after.batchRootVerifications == before.batchRootVerifications,
                    "a receipt's root is not a message's"
                )
                // Germany's message, signed for by France.
                let toGermany = harness.request(20, to: .spoc(.de))
                let stranger = try Envelope(wireBytes: try harness.sealed(toGermany))
                try await belgium.send(.message(envelope: try harness.sealed(toGermany)))
                #expect(try await harness.verdict(on: toGermany, from: &belgium) == .accepted)
                try await francePeer.send(
                    .receipt(
                        try france.receipts(
                            [DeliveryReceipt.Content(receiving: stranger, at: harness.clock.now)],
                            mode: .perMessage
                        )[0]
                    )
                )
                #expect(try await francePeer.sync() == [])
            }
        }
        let acknowledged = harness.audit.events.filter { $0.kind == .acknowledged }
        #expect(acknowledged.compactMap(\.messageID) == headers.map(\.id))
        #expect(
            acknowledged.allSatisfy { $0.receipt.map { if case .batch = $0.signature { true } else { false } } == true }
        )
        #expect(harness.audit.events.filter { $0.kind == .receiptRefused }.isEmpty)
    }
}
