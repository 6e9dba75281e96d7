import EIXMModel
import EIXMTestKit
import Testing

/// Decoding is total: random and mutated bytes give an envelope or a typed error, never a crash or a hang.
@Suite("Decoder properties")
struct DecoderPropertyTests {
    @Test("random bytes never crash the decoder", arguments: [UInt64(1), 2, 3])
    func randomBytes(seed: UInt64) {
        var random = SeededGenerator(seed: seed)
        for _ in 0..<3000 {
            let count = Int.random(in: 0..<400, using: &random)
            var bytes = random.bytes(count)
            if Bool.random(using: &random), bytes.count >= 5 {
                bytes.replaceSubrange(0..<5, with: Envelope.magic + [Envelope.formatVersion])
            }
            _ = try? Envelope(wireBytes: bytes)
            _ = try? Header(canonicalBytes: bytes)
        }
    }

    @Test("mutated envelopes decode to an envelope or an error, and what decodes re-encodes to itself", arguments: [UInt64(11), 12, 13])
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
                    bytes.insert(UInt8.random(in: 0...255, using: &random), at: Int.random(in: 0...bytes.count, using: &random))
                default:
                    bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &random)))
                }
                if bytes.isEmpty { break }
            }
            if let envelope = try? Envelope(wireBytes: bytes) {
                decoded += 1
                #expect(envelope.wireBytes() == bytes, "a decoded envelope must re-encode to the same bytes")
            }
        }
        // Most single-byte changes in the body or signature still decode: the property above was exercised.
        #expect(decoded > 0)
    }
}
