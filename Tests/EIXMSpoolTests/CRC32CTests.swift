import EIXMModel
import Testing

@testable import EIXMSpool

/// The spool records' checksum, against published values and a bit-by-bit reference.
@Suite("CRC-32C")
struct CRC32CTests {
    @Test("RFC 3720's test values and the usual check value")
    func published() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        #expect(CRC32C.checksum(Array(UInt8(0)...UInt8(31))) == 0x46DD_794E)
        #expect(CRC32C.checksum([UInt8]()) == 0)
    }

    @Test("any length, any split into pieces continued, from any sequence: as the bit-by-bit definition (seeded)")
    func reference() {
        var random = SeededGenerator(seed: 3720)
        for length in 0..<70 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
            let split = Int.random(in: 0...length, using: &random)
            let pieces = CRC32C.checksum(bytes[split...], continuing: CRC32C.checksum(bytes[..<split]))
            #expect(CRC32C.checksum(bytes) == Self.bitByBit(bytes), "length \(length)")
            #expect(pieces == Self.bitByBit(bytes), "length \(length), split at \(split)")
            #expect(CRC32C.checksum(bytes.lazy.map { $0 }) == Self.bitByBit(bytes), "length \(length), lazy")
        }
    }

    /// CRC-32C one bit at a time (reflected polynomial 0x82F63B78), as RFC 3720 defines it.
    static func bitByBit(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
        }
        return ~crc
    }
}
