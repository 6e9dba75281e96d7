import EIXMModel
import EIXMTestKit
import Testing

/// Decoding is total and exact: random and mutated bytes give a value that re-encodes to them, or an error that
/// names a field and an offset within the input.
@Suite("Decoder properties")
struct DecoderPropertyTests {
    /// The names an error may give: a header field, or a part of the envelope.
    static let knownFields = Set(
        HeaderField.allCases.map(\.name) + ["magic", "version", "header", "body", "signature", "envelope"]
    )

    /// The property every decoding must have: a value that re-encodes to exactly the input, or an error that names a
    /// known field (or a tag, for an unknown one) and an offset within the input.
    static func checkDecoding(_ bytes: [UInt8]) -> (envelope: Bool, header: Bool) {
        var decoded = (envelope: false, header: false)
        do {
            let envelope = try Envelope(wireBytes: bytes)
            #expect(envelope.wireBytes() == bytes, "a decoded envelope must re-encode to its input")
            decoded.envelope = true
        } catch {
            check(error, in: bytes)
        }
        do {
            let header = try Header(canonicalBytes: bytes)
            #expect(try header.canonicalBytes() == bytes, "a decoded header must re-encode to its input")
            decoded.header = true
        } catch {
            check(error, in: bytes)
        }
        return decoded
    }

    static func check(_ error: MessageFormatError, in bytes: [UInt8]) {
        #expect(knownFields.contains(error.field) || error.field.hasPrefix("tag "), "unnamed field: \(error)")
        let offset = error.offset ?? -1
        #expect((0...bytes.count).contains(offset), "offset outside the input of \(bytes.count) bytes: \(error)")
    }

    @Test(
        "random bytes decode to values that re-encode to them, or to errors naming a field and an offset in the input",
        arguments: [UInt64(1), 2, 3]
    )
    func randomBytes(seed: UInt64) throws {
        var random = SeededGenerator(seed: seed)
        // Random header fields (tag, length, value) in ascending order: most are refused for their values, some
        // decode; both halves of the property are exercised.
        var headersDecoded = 0
        for _ in 0..<3000 {
            let count = Int.random(in: 0..<400, using: &random)
            var bytes = random.bytes(count)
            if Bool.random(using: &random), bytes.count >= 5 {
                bytes.replaceSubrange(0..<5, with: Envelope.magic + [Envelope.formatVersion])
            }
            _ = Self.checkDecoding(bytes)
            if Self.checkDecoding(try Self.shuffledFields(of: SampleMessages.request(), using: &random)).header {
                headersDecoded += 1
            }
        }
        #expect(headersDecoded > 0)
    }

    /// A valid header's encoding with some of its fields dropped (so some required ones are missing) or one value
    /// byte changed.
    static func shuffledFields(of header: Header, using random: inout SeededGenerator) throws -> [UInt8] {
        let bytes = try header.canonicalBytes()
        var fields: [[UInt8]] = []
        var offset = 0
        while offset + 3 <= bytes.count {
            let length = Int(bytes[offset + 1]) << 8 | Int(bytes[offset + 2])
            fields.append(Array(bytes[offset..<offset + 3 + length]))
            offset += 3 + length
        }
        if Int.random(in: 0..<3, using: &random) == 0, !fields.isEmpty {
            fields.remove(at: Int.random(in: 0..<fields.count, using: &random))
        }
        var out = fields.flatMap { $0 }
        if Bool.random(using: &random), !out.isEmpty {
            out[Int.random(in: 0..<out.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
        }
        return out
    }

    @Test(
        "mutated envelopes decode to an envelope that re-encodes to them, or to an error naming a field and an offset",
        arguments: [UInt64(11), 12, 13]
    )
    func mutatedEnvelopes(seed: UInt64) throws {
        var random = SeededGenerator(seed: seed)
        let original = try EnvelopeWireTests.envelope(body: SampleMessages.body(count: 64)).wireBytes()
        var decoded = 0
        for _ in 0..<3000 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                switch Int.random(in: 0..<4, using: &random) {
                case 0:
                    bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
                case 1:
                    bytes.remove(at: Int.random(in: 0..<bytes.count, using: &random))
                case 2:
                    bytes.insert(
                        UInt8.random(in: 0...255, using: &random),
                        at: Int.random(in: 0...bytes.count, using: &random)
                    )
                default:
                    bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &random)))
                }
                if bytes.isEmpty { break }
            }
            if Self.checkDecoding(bytes).envelope { decoded += 1 }
        }
        // Most single-byte changes in the body or signature still decode: the property above was exercised.
        #expect(decoded > 0)
    }
}
