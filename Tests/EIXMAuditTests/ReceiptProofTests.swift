import Crypto
import EIXMAudit
import EIXMModel
import EIXMTestKit
import Foundation
import Testing

@Suite("Audit proofs of signed receipts")
struct ReceiptProofTests {
    static let france = Curve25519.Signing.PrivateKey()
    static let stranger = Curve25519.Signing.PrivateKey()
    static let headerDigest = Array(SHA256.hash(data: Array("header".utf8)))
    static let bodyDigest = Array(SHA256.hash(data: Array("body".utf8)))

    /// The check `eixm audit check` makes with the recipients' certificates: here, France's key only.
    static let verify: @Sendable (NodeID, DeliveryReceipt) -> Bool = { node, receipt in
        guard node == .spoc(.fr), case .ed25519(let signature) = receipt.signature else { return false }
        return france.publicKey.isValidSignature(
            signature,
            for: receipt.content.signingInput(recipient: node, scheme: SignatureBlock.ed25519Scheme)
        )
    }

    /// A receipt France (or `key`) signs, naming `body` as the body's digest.
    static func receipt(
        by key: Curve25519.Signing.PrivateKey = france,
        body: [UInt8] = bodyDigest
    ) throws
        -> DeliveryReceipt
    {
        let content = try DeliveryReceipt.Content(
            message: SampleMessages.id(1),
            headerDigest: headerDigest,
            bodyDigest: body,
            receivedAt: SampleMessages.createdAt.adding(seconds: 60)
        )
        let input = content.signingInput(recipient: .spoc(.fr), scheme: SignatureBlock.ed25519Scheme)
        return DeliveryReceipt(content: content, signature: .ed25519(Array(try key.signature(for: input))))
    }

    /// A closed log of one message: received, accepted, delivered to France, acknowledged with `receipt`; returns
    /// the inclusion proof of the message, read back from its JSON.
    static func proof(acknowledgedWith receipt: DeliveryReceipt?, in root: URL) throws -> AuditProof {
        let audit = root.appendingPathComponent("audit")
        let log = try FileAuditLog(directory: audit, signer: AuditLogTests.signer)
        func event(_ kind: AuditEvent.Kind) -> AuditEvent {
            var event = AuditEvent(
                kind: kind,
                realTime: SampleMessages.createdAt,
                simulatedTime: SampleMessages.createdAt
            )
            event.messageID = SampleMessages.id(1)
            return event
        }
        var base = event(.received)
        base.sender = .spoc(.be)
        base.recipients = [.spoc(.fr)]
        var received = base
        received.headerDigest = AuditRecordFormat.hex(headerDigest)
        received.bodyDigest = AuditRecordFormat.hex(bodyDigest)
        var delivered = base.with(.delivered)
        delivered.node = .spoc(.fr)
        var acknowledged = event(.acknowledged)
        acknowledged.node = .spoc(.fr)
        if let receipt {
            acknowledged.headerDigest = AuditRecordFormat.hex(receipt.content.headerDigest)
            acknowledged.bodyDigest = AuditRecordFormat.hex(receipt.content.bodyDigest)
            acknowledged.receipt = receipt
        }
        log.append([received, base.with(.accepted), delivered, acknowledged])
        try log.close()
        var prover = try AuditProver(directory: audit, trustedKey: AuditLogTests.key.publicKey)
        let proof = try prover.inclusion(messageID: SampleMessages.id(1).uuidString.lowercased())
        return try AuditProof.decoded(from: proof.json())
    }

    @Test(
        "a message's proof shows France's receipt: read back from the log's text it verifies with France's key, and the check says who signed"
    )
    func receiptProven() throws {
        try TemporaryDirectory.withSync { root in
            let receipt = try Self.receipt()
            let proof = try Self.proof(acknowledgedWith: receipt, in: root)
            let said = try proof.check(key: AuditLogTests.key.publicKey, receipts: Self.verify)
            #expect(said.contains("receipts signed by SPOC-FR"), "\(said)")
            // The record as written gives back the receipt France signed, field by field.
            let records = try AuditReader.read(directory: root.appendingPathComponent("audit")).records
            let acknowledged = try #require(records.first { $0.event == "acknowledged" })
            let read = try #require(try acknowledged.receipt())
            #expect(read.recipient == .spoc(.fr))
            #expect(read.receipt == receipt)
        }
    }

    @Test(
        "a receipt signed with another key, one naming another body than the message received, and an acknowledgement without a receipt each fail the check, naming the record"
    )
    func badReceiptsFail() throws {
        let cases: [(DeliveryReceipt?, String)] = [
            (try Self.receipt(by: Self.stranger), "does not verify with its certified key"),
            (try Self.receipt(body: Array(SHA256.hash(data: Array("other".utf8)))), "names other digests"),
            (nil, "acknowledged without a receipt"),
        ]
        for (receipt, words) in cases {
            try TemporaryDirectory.withSync { root in
                let proof = try Self.proof(acknowledgedWith: receipt, in: root)
                // Without the recipients' keys only the log is proven.
                #expect(throws: Never.self) { try proof.check(key: AuditLogTests.key.publicKey) }
                do {
                    _ = try proof.check(key: AuditLogTests.key.publicKey, receipts: Self.verify)
                    Issue.record("the check passed: \(words)")
                } catch {
                    #expect("\(error)".contains(words), "\(error)")
                    // Record 0 opens the log and 1 seals it: the acknowledgement is record 5.
                    #expect("\(error)".contains("record 5"), "\(error)")
                }
            }
        }
    }

    @Test("a receipt's fields edited in a record are refused by name when read back")
    func unreadableReceipt() throws {
        try TemporaryDirectory.withSync { root in
            _ = try Self.proof(acknowledgedWith: try Self.receipt(), in: root)
            let records = try AuditReader.read(directory: root.appendingPathComponent("audit")).records
            let text = try #require(records.first { $0.event == "acknowledged" }?.text)
            for (from, to, words) in [
                ("\"receipt_scheme\":\"ed25519\"", "\"receipt_scheme\":\"rsa\"", "'receipt_scheme' rsa"),
                ("\"received_at\":\"", "\"received_at\":\"x", "'received_at'"),
                ("\"receipt_signature\":\"", "\"receipt_signature\":\"zz", "'receipt_signature' is not hexadecimal"),
            ] {
                let edited = text.replacingOccurrences(of: from, with: to)
                #expect(edited != text)
                let record = try JSONDecoder().decode(AuditRecord.self, from: Data(edited.utf8))
                #expect(throws: AuditRecord.UnreadableReceipt.self) { try record.receipt() }
                do { _ = try record.receipt() } catch { #expect("\(error)".contains(words), "\(error)") }
            }
        }
    }
}
