import EIXMTransport

/// What the router answered a message it routed lately (accepted, or refused by the rules with these reasons), with
/// a fingerprint of the message, so that a resend (the same bytes) gets the same answer and another message reusing
/// the ID is refused as DUPLICATE.
struct Routed: Sendable {
    /// The first 8 bytes of the header's SHA-256 mixed with the first 8 of the body's.
    let fingerprint: UInt64
    /// The refusal's reasons; `nil`: accepted.
    let refusal: [Frame.Refusal.Reason]?

    /// The fingerprint of a message from its header's and body's SHA-256 digests in hex.
    static func fingerprint(_ digests: (header: String, body: String)) -> UInt64 {
        let header = UInt64(digests.header.prefix(16), radix: 16) ?? 0
        let body = UInt64(digests.body.prefix(16), radix: 16) ?? 0
        return header ^ (body &* 0x9E37_79B9_7F4A_7C15)
    }
}
