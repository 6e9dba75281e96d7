import EIXMTransport

/// What the router answered a message it routed lately (accepted, or refused by the rules with these reasons), with
/// the message's fingerprint (`MessageDigests`), so that a resend (the same bytes) gets the same answer and another
/// message reusing the ID is refused as DUPLICATE.
struct Routed: Sendable {
    let fingerprint: UInt64
    /// The refusal's reasons; `nil`: accepted.
    let refusal: [Frame.Refusal.Reason]?
}
