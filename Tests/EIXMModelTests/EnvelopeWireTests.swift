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
        unknown[schemeAt] = 3
        #expect(decodeError(unknown)?.code == .unknownSignatureScheme)
        // An Ed25519 signature relabelled as a batch signature is too short to be one.
        var relabelled = bytes
        relabelled[schemeAt] = 2
        #expect(decodeError(relabelled)?.field == "signature")
        let short = Array(bytes[..<schemeAt]) + [1, 0, 63] + [UInt8](repeating: 0, count: 63)
        let error = try #require(decodeError(short))
        #expect(error.code == .invalidValue)
        #expect(error.field == "signature")
    }

    @Test("the signing input is the tag, the framing in wire order, the body's length and digest, and the scheme")
    func signingInput() throws {
        let header = try SampleMessages.request().canonicalBytes()
        let digest = [UInt8](repeating: 0xAB, count: 32)
        let input = Envelope.signingInput(
            canonicalHeader: header,
            bodyLength: 0x0102_0304,
            bodyDigest: digest,
            scheme: 2
        )
        // Written out byte by byte, as README "The canonical encoding" gives it.
        let headerLength = UInt32(header.count)
        var expected = Array("EIXM-ENVELOPE-SIGNATURE-V2".utf8) + [0]
        expected += Array("EIXM".utf8) + [1]
        expected += [
            UInt8(headerLength >> 24), UInt8(headerLength >> 16 & 0xFF), UInt8(headerLength >> 8 & 0xFF),
            UInt8(headerLength & 0xFF),
        ]
        expected += header
        expected += [1, 2, 3, 4]
        expected += digest
        expected += [2]
        #expect(input == expected)
        #expect(
            input
                != Envelope.signingInput(
                    canonicalHeader: header,
                    bodyLength: 0x0102_0304,
                    bodyDigest: digest,
                    scheme: 1
                )
        )
    }
}
