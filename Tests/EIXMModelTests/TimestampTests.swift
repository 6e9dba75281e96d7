import EIXMModel
import EIXMTestKit
import Foundation
import Testing

@Suite("RFC 3339 timestamps")
struct TimestampTests {
    @Test("dates since 1600 read as Foundation writes them, and read back as written (seeded)")
    func againstFoundation() throws {
        var random = SeededGenerator(seed: 3339)
        let foundation = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)
        for _ in 0..<2000 {
            // 1600-01-01 to 9999-12-31, in milliseconds.
            let milliseconds = Int64.random(in: -11_676_096_000_000...253_402_300_799_999, using: &random)
            let text = Date(timeIntervalSince1970: Double(milliseconds) / 1000).formatted(foundation)
            let read = try #require(Timestamp(rfc3339: text), "\(text)")
            // Foundation formats from a Double, which may be a millisecond short.
            #expect(abs(read.millisecondsSinceEpoch - milliseconds) <= 1, "\(text)")
            let written = Timestamp(millisecondsSinceEpoch: milliseconds)
            #expect(Timestamp(rfc3339: written.rfc3339) == written)
        }
    }

    @Test("the bytes appended for the audit log are the text, within years 0-9999 and outside them (seeded)")
    func appendedBytes() {
        var random = SeededGenerator(seed: 24)
        let inside = (0..<500).map { _ in Int64.random(in: -62_167_219_200_000...253_402_300_799_999, using: &random) }
        // Before year 0 and after 9999 the form cannot hold the year: the text comes from Foundation's formatter.
        for milliseconds in inside + [-62_167_219_200_001, 253_402_300_800_000] {
            let time = Timestamp(millisecondsSinceEpoch: milliseconds)
            var bytes: [UInt8] = [0x2C]
            time.appendRFC3339(to: &bytes)
            #expect(bytes == [0x2C] + Array(time.rfc3339.utf8), "\(milliseconds)")
            #expect(!time.rfc3339.isEmpty)
        }
        #expect(Timestamp(millisecondsSinceEpoch: 0).rfc3339 == "1970-01-01T00:00:00.000Z")
    }

    @Test("a date before 1582 (found by fuzzing the header JSON reader) reads back as written")
    func beforeGregorianReform() throws {
        for text in ["1013-11-30T09:00:00.000Z", "0000-01-01T00:00:00.000Z", "1582-10-10T12:00:00.000Z"] {
            #expect(Timestamp(rfc3339: text)?.rfc3339 == text)
        }
        #expect(
            Timestamp(rfc3339: "0000-03-01T00:00:00Z")!.millisecondsSinceEpoch
                - Timestamp(rfc3339: "0000-02-28T00:00:00Z")!.millisecondsSinceEpoch == 2 * 86_400_000
        )
    }

    @Test("offsets, lower-case separators and any fraction length")
    func forms() {
        let eight = Timestamp(rfc3339: "2026-11-29T08:00:00.000Z")
        #expect(eight?.millisecondsSinceEpoch == 1_795_939_200_000)
        #expect(Timestamp(rfc3339: "2026-11-29T09:30:00+01:30") == eight)
        #expect(Timestamp(rfc3339: "2026-11-29T06:00:00-02:00") == eight)
        #expect(Timestamp(rfc3339: "2026-11-29t08:00:00z") == eight)
        #expect(Timestamp(rfc3339: "2026-11-29T08:00:00.5Z")?.millisecondsSinceEpoch == 1_795_939_200_500)
        #expect(Timestamp(rfc3339: "2026-11-29T08:00:00.123456Z")?.millisecondsSinceEpoch == 1_795_939_200_123)
        #expect(Timestamp(rfc3339: "2024-02-29T00:00:00Z") != nil)
    }

    @Test(
        "what is not an RFC 3339 time is refused",
        arguments: [
            "", "2026-11-29", "2026-11-29T08:00:00", "2026-02-29T00:00:00Z", "1900-02-29T00:00:00Z",
            "2026-13-01T00:00:00Z", "2026-00-10T00:00:00Z", "2026-11-31T00:00:00Z", "2026-11-29T24:00:00Z",
            "2026-11-29T08:60:00Z", "2026-11-29T08:00:60Z", "2026-11-29T08:00:00.Z", "2026-11-29T08:00:00Zjunk",
            "2026-11-29T08:00:00+0100", "2026-11-29T08:00:00+25:00", "+2026-11-29T08:00:00Z", "2026/11/29T08:00:00Z",
        ]
    )
    func refused(text: String) {
        #expect(Timestamp(rfc3339: text) == nil)
    }
}
