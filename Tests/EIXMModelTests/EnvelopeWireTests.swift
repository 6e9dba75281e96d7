import EIXMModel
import EIXMTestKit
import Testing

@Suite("Envelope encoding")
struct EnvelopeWireTests {
    /// An envelope with a stand-in signature: the model does not sign (EIXMCrypto does).
    static func envelope(body: [UInt8] = SampleMessages.body(count: 1024)) throws -> Envelope {
        let header = SampleMessages.everyField()
        return try Envelope(
            header: header,
            canonicalHeader: header.canonicalBytes(),
            body: body,
            signature: .ed25519([UInt8](repeating: 0x5A, count: 64))
        )
    }

    private func decodeError(_ bytes: [UInt8]) -> MessageFormatError? {
        do {
            _ = try Envelope(wireBytes: bytes)
            return nil
        } catch {
            return error
        }
    }

    @Test("an envelope round-trips")
    func roundTrip() throws {
        let envelope = try Self.envelope()
        #expect(try Envelope(wireBytes: envelope.wireBytes()) == envelope)
        let empty = try Self.envelope(body: [])
        #expect(try Envelope(wireBytes: empty.wireBytes()) == empty)
    }

    @Test("every proper prefix is truncated, never accepted")
    func everyPrefixIsTruncated() throws {
        let bytes = try Self.envelope(body: SampleMessages.body(count: 40)).wireBytes()
        for length in 0..<bytes.count {
            let error = try #require(decodeError(Array(bytes[..<length])), "prefix of \(length) bytes was accepted")
            #expect(error.code == .truncated || error.code == .missingField, "prefix \(length): \(error)")
        }
    }

    @Test("bad magic, unknown version, trailing bytes")
    func framing() throws {
        var bytes = try Self.envelope().wireBytes()
        bytes[0] = 0x41
        #expect(decodeError(bytes)?.code == .badMagic)
        bytes = try Self.envelope().wireBytes()
        bytes[4] = 2
        let version = try #require(decodeError(bytes))
        #expect(version.code == .unknownVersion)
        #expect(version.field == "version")
        bytes = try Self.envelope().wireBytes() + [0]
        #expect(decodeError(bytes)?.code == .trailingBytes)
    }

    @Test("an over-long header or body length is refused before reading it")
    func oversizedLengths() throws {
        var bytes = try Self.envelope().wireBytes()
        bytes.replaceSubrange(5..<9, with: [0x00, 0x01, 0x00, 0x01])
        let header = try #require(decodeError(bytes))
        #expect(header.code == .tooLong)
        #expect(header.field == "header")
        let canonicalLength = try SampleMessages.everyField().canonicalBytes().count
        bytes = try Self.envelope().wireBytes()
        let bodyAt = 9 + canonicalLength
        bytes.replaceSubrange(bodyAt..<bodyAt + 4, with: [0x00, 0x10, 0x00, 0x01])
        let body = try #require(decodeError(bytes))
        #expect(body.code == .tooLong)
        #expect(body.field == "body")
        #expect(throws: MessageFormatError.self) {
            try Self.envelope(body: [UInt8](repeating: 0, count: WireLimits.maximumBodyBytes + 1))
        }
    }

    @Test("an unknown signature scheme and a wrong signature length are refused")
    func signatureBlock() throws {
        let bytes = try Self.envelope().wireBytes()
        let schemeAt = bytes.count - 64 - 3
        var unknown = bytes
        unknown[schemeAt] = 2
        #expect(decodeError(unknown)?.code == .unknownSignatureScheme)
        let short = Array(bytes[..<schemeAt]) + [1, 0, 63] + [UInt8](repeating: 0, count: 63)
        let error = try #require(decodeError(short))
        #expect(error.code == .invalidValue)
        #expect(error.field == "signature")
    }

    @Test("the signing input starts with the domain tag and ends with the body digest")
    func signingInput() throws {
        let header = try SampleMessages.request().canonicalBytes()
        let digest = [UInt8](repeating: 0xAB, count: 32)
        let input = Envelope.signingInput(canonicalHeader: header, bodyDigest: digest)
        #expect(input.starts(with: Envelope.signatureDomain))
        #expect(Array(input.suffix(32)) == digest)
        #expect(input.count == Envelope.signatureDomain.count + 5 + header.count + 32)
    }
}
