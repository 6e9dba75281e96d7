import Crypto
import EIXMCrypto
import EIXMModel
import EIXMTestKit
import Testing

@Suite("Envelope signatures")
struct SignatureTests {
    static let pki = Result { try ExercisePKI.generate(nodes: [.spoc(.be), .spoc(.fr), .europol]) }

    private func sealedSample(bodyCount: Int = 256) throws -> (Envelope, KeyDirectory) {
        let pki = try Self.pki.get()
        let envelope = try pki.identity(for: .spoc(.be)).seal(
            SampleMessages.everyField(),
            body: SampleMessages.body(count: bodyCount)
        )
        return (envelope, try pki.keyDirectory())
    }

    @Test("a sealed envelope verifies, also after a trip over the wire")
    func sealAndVerify() throws {
        let (envelope, keys) = try sealedSample()
        #expect(keys.verify(envelope) == .valid)
        #expect(keys.verify(try Envelope(wireBytes: envelope.wireBytes())) == .valid)
    }

    @Test("flipping any single byte of the envelope makes verification fail")
    func everyByteFlip() throws {
        let (envelope, keys) = try sealedSample(bodyCount: 128)
        let bytes = envelope.wireBytes()
        var decodeFailures = 0
        var badSignatures = 0
        for position in 0..<bytes.count {
            var tampered = bytes
            tampered[position] ^= 0x01
            do {
                let decoded = try Envelope(wireBytes: tampered)
                let verdict = keys.verify(decoded)
                #expect(!verdict.isValid, "flipping byte \(position) kept a valid signature")
                badSignatures += 1
            } catch {
                decodeFailures += 1
            }
        }
        // Body and signature flips always decode and must then fail the signature check.
        #expect(badSignatures >= 128 + 64)
        #expect(decodeFailures + badSignatures == bytes.count)
    }

    @Test("a signature by another node's key does not verify for the claimed sender")
    func impersonation() throws {
        let pki = try Self.pki.get()
        let france = try pki.identity(for: .spoc(.fr))
        // France signs a header that claims Belgium as its sender, bypassing seal()'s own check.
        let header = SampleMessages.request()
        let canonical = try header.canonicalBytes()
        let body: [UInt8] = Array("forged".utf8)
        let input = Envelope.signingInput(
            canonicalHeader: canonical,
            bodyLength: body.count,
            bodyDigest: SHA256.hash(data: body),
            scheme: SignatureBlock.ed25519Scheme
        )
        let forged = try Envelope(
            header: header,
            canonicalHeader: canonical,
            body: body,
            signature: .ed25519(france.signature(for: input))
        )
        #expect(try pki.keyDirectory().verify(forged) == .badSignature(.spoc(.be)))
    }

    @Test("an envelope from a node without a certificate names the unknown sender")
    func unknownSender() throws {
        let outsider = try ExercisePKI.generate(nodes: [.spoc(.de)])
        var header = SampleMessages.request()
        header.sender = .spoc(.de)
        let envelope = try outsider.identity(for: .spoc(.de)).seal(header, body: [])
        #expect(try Self.pki.get().keyDirectory().verify(envelope) == .unknownSender(.spoc(.de)))
    }

    @Test("an identity refuses to seal a header naming another sender")
    func senderMismatch() throws {
        let belgium = try Self.pki.get().identity(for: .spoc(.be))
        var header = SampleMessages.request()
        header.sender = .spoc(.fr)
        #expect(throws: CredentialError.self) { try belgium.seal(header, body: []) }
    }

    @Test("an identity refuses a key that is not its certificate's, or a certificate for another node")
    func identityBinding() throws {
        let pki = try Self.pki.get()
        let certificate = try #require(pki.certificates[.spoc(.be)])
        #expect(throws: CredentialError.self) {
            try NodeIdentity(nodeID: .spoc(.be), privateKey: Curve25519.Signing.PrivateKey(), certificate: certificate)
        }
        let key = try #require(pki.privateKeys[.spoc(.be)])
        #expect(throws: CredentialError.self) {
            try NodeIdentity(nodeID: .spoc(.fr), privateKey: key, certificate: certificate)
        }
    }
}
