import Crypto
import EIXMAudit
import EIXMModel

/// A message's SHA-256 digests, computed once per message off the router actor: in hex for its audit records, and a
/// fingerprint (the first 8 bytes of each, mixed) that tells a resend (the same bytes) from another message under a
/// known ID.
struct MessageDigests: Sendable {
    let header: String
    let body: String
    let fingerprint: UInt64

    init(header: SHA256.Digest, body: SHA256.Digest) {
        self.header = AuditRecordFormat.hex(header)
        self.body = AuditRecordFormat.hex(body)
        fingerprint = Self.prefix(header) ^ (Self.prefix(body) &* 0x9E37_79B9_7F4A_7C15)
    }

    /// Both digests of an envelope (a message read back from the spool).
    init(of envelope: Envelope) {
        self.init(header: SHA256.hash(data: envelope.canonicalHeader), body: SHA256.hash(data: envelope.body))
    }

    /// The digest's first 8 bytes as a big-endian number.
    private static func prefix(_ digest: SHA256.Digest) -> UInt64 {
        UInt64(bigEndian: digest.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
    }
}
