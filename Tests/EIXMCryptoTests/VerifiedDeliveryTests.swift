import Crypto
import EIXMCrypto
import EIXMModel
import EIXMTestKit
import Testing

@Suite("A delivery verified once for its receipt")
struct VerifiedDeliveryTests {
    static let pki = Result { try ExercisePKI.generate(nodes: [.spoc(.be), .spoc(.fr)]) }

    @Test(
        "a delivery that verifies gives a receipt with the digests of its header and body",
        arguments: SignatureMode.allCases
    )
    func receiptDigests(mode: SignatureMode) throws {
        let pki = try Self.pki.get()
        let keys = try pki.keyDirectory()
        var generator = SeededGenerator(seed: 977)
        let bodies = (0..<3).map { _ in (0..<300).map { _ in UInt8.random(in: 0...255, using: &generator) } }
        let envelopes = try pki.identity(for: .spoc(.be)).seal(
            bodies.map { (SampleMessages.request(), $0) },
            mode: mode
        )
        let time = Timestamp(millisecondsSinceEpoch: 1_700_000_000_123)
        for (envelope, body) in zip(envelopes, bodies) {
            let verified = try #require(keys.verifiedDelivery(try Envelope(wireBytes: envelope.wireBytes())))
            let receipt = verified.receipt(at: time)
            #expect(receipt.message == envelope.header.id)
            #expect(receipt.headerDigest == Array(SHA256.hash(data: try envelope.header.canonicalBytes())))
            #expect(receipt.bodyDigest == Array(SHA256.hash(data: body)))
            #expect(receipt.receivedAt == time)
        }
    }

    @Test("a delivery whose body or signature was changed, or whose sender is unknown, gives no receipt")
    func refused() throws {
        let pki = try Self.pki.get()
        let keys = try pki.keyDirectory()
        let envelope = try pki.identity(for: .spoc(.be)).seal(SampleMessages.request(), body: Array("body".utf8))
        let otherBody = try Envelope(
            header: envelope.header,
            canonicalHeader: envelope.canonicalHeader,
            body: Array("bodz".utf8),
            signature: envelope.signature
        )
        #expect(keys.verifiedDelivery(otherBody) == nil)
        var signature = envelope.wireBytes()
        signature[signature.count - 1] ^= 0x01
        #expect(keys.verifiedDelivery(try Envelope(wireBytes: signature)) == nil)
        let strangers = try ExercisePKI.generate(nodes: [.spoc(.fr)]).keyDirectory()
        #expect(strangers.verifiedDelivery(envelope) == nil)
    }
}
