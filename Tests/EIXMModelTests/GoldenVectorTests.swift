import EIXMModel
import EIXMTestKit
import Foundation
import Testing

/// The canonical encoding is pinned by vectors checked into `GoldenVectors/` (hex, whitespace ignored). A change
/// that alters them changes the wire format: that needs a new format version, not new vectors.
@Suite("Golden vectors")
struct GoldenVectorTests {
    static func vector(_ name: String) throws -> [UInt8] {
        let url = try #require(
            Bundle.module.url(forResource: name, withExtension: "hex", subdirectory: "GoldenVectors")
        )
        let text = try String(contentsOf: url, encoding: .utf8).filter { $0.isHexDigit }
        return try stride(from: 0, to: text.count, by: 2).map { offset in
            let start = text.index(text.startIndex, offsetBy: offset)
            return try #require(UInt8(text[start..<text.index(start, offsetBy: 2)], radix: 16))
        }
    }

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    /// With `EIXM_RECORD_GOLDEN=1` in the environment, writes `bytes` as the vector `name` instead of comparing:
    /// for adding a vector, never for papering over a change.
    static func check(_ bytes: [UInt8], against name: String, filePath: String = #filePath) throws {
        if ProcessInfo.processInfo.environment["EIXM_RECORD_GOLDEN"] == "1" {
            let folder = URL(fileURLWithPath: filePath).deletingLastPathComponent().appendingPathComponent(
                "GoldenVectors"
            )
            let lines = stride(from: 0, to: bytes.count, by: 32).map {
                hex(Array(bytes[$0..<min($0 + 32, bytes.count)]))
            }
            try (lines.joined(separator: "\n") + "\n").write(
                to: folder.appendingPathComponent(name + ".hex"),
                atomically: true,
                encoding: .utf8
            )
        }
        #expect(hex(bytes) == hex(try vector(name)))
    }

    @Test("the minimal request header")
    func requestHeader() throws {
        let bytes = try SampleMessages.request().canonicalBytes()
        try Self.check(bytes, against: "request-header")
        #expect(try Header(canonicalBytes: Self.vector("request-header")) == SampleMessages.request())
    }

    @Test("the header with every field")
    func everyFieldHeader() throws {
        let bytes = try SampleMessages.everyField().canonicalBytes()
        try Self.check(bytes, against: "every-field-header")
        #expect(try Header(canonicalBytes: Self.vector("every-field-header")) == SampleMessages.everyField())
    }

    @Test("a whole envelope: 32-byte body and a stand-in signature of 64 bytes 0x5A")
    func envelope() throws {
        let header = SampleMessages.request()
        let envelope = try Envelope(
            header: header,
            canonicalHeader: header.canonicalBytes(),
            body: SampleMessages.body(count: 32),
            signature: .ed25519([UInt8](repeating: 0x5A, count: 64))
        )
        try Self.check(envelope.wireBytes(), against: "request-envelope")
        #expect(try Envelope(wireBytes: Self.vector("request-envelope")) == envelope)
    }
}
