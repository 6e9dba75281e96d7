/// The router's own checks, reported like rule IDs in NACKs and the audit log. Nodes read refusals with it (see
/// ``Frame/Refusal/checks``) rather than compare strings.
public enum RouterCheck: String, Sendable, CaseIterable {
    /// The sender named in the header is not the node certified on the connection (or HELLO lied).
    case authentication = "AUTH"
    /// The signature does not verify with the sender's certified key.
    case signature = "SIGNATURE"
    /// The message ID was routed before.
    case duplicate = "DUPLICATE"
    /// `created_at` is outside the replay window.
    case replay = "REPLAY"
    /// A recipient's queue is full.
    case queueFull = "QUEUE_FULL"
    /// A node named in the header is not in the directory.
    case unknownNode = "UNKNOWN_NODE"
    /// The envelope cannot be read.
    case malformed = "MALFORMED"
    /// The node's certificate is revoked.
    case revoked = "REVOKED"
    /// The peer's certificate was refused at the TLS handshake (a CA, not for clients, no node ID, the router's).
    case certificate = "CERTIFICATE"
    /// A frame that is well-formed but wrong where it came (an ACK, the router's answer, from a node).
    case protocolError = "PROTOCOL"
    /// A delivery receipt whose signature does not verify with the recipient's certified key, or whose digests are
    /// not those of the message delivered.
    case receipt = "RECEIPT"
}

extension Frame.Refusal {
    /// The router's own checks among the reasons (the rest are rule IDs).
    public var checks: [RouterCheck] { reasons.compactMap { RouterCheck(rawValue: $0.rule) } }
}
