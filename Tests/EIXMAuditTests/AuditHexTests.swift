import Crypto
import EIXMAudit
import Testing

/// The audit log's hex: the digests and signatures of every record are written with it.
@Suite("Audit hex")
struct AuditHexTests {
    @Test("an array, a sequence without contiguous storage, a buffer and a digest give the same digits")
    func digits() {
        let bytes: [UInt8] = [0x00, 0x0F, 0xA5, 0x5A, 0x90, 0xFF]
        #expect(AuditRecordFormat.hex(bytes) == "000fa55a90ff")
        #expect(AuditRecordFormat.hex(bytes.lazy.map { $0 }) == "000fa55a90ff")
        #expect(bytes.withUnsafeBytes { AuditRecordFormat.hex($0) } == "000fa55a90ff")
        #expect(AuditRecordFormat.hex([UInt8]()) == "")
        // FIPS 180-2's "abc".
        #expect(
            AuditRecordFormat.hex(SHA256.hash(data: Array("abc".utf8)))
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        )
    }
}
