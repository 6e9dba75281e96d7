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

extension RouterCheck {
    /// One line on what the check refuses, for reports beside the rules' texts.
    public var summary: String {
        switch self {
        case .authentication: "The header's sender (or HELLO) is not the node the connection's certificate names."
        case .signature: "The envelope's signature does not verify with the sender's certified key."
        case .duplicate: "The message ID was routed before, for another message."
        case .replay: "created_at is outside the router's replay window."
        case .queueFull: "A recipient's queue at the router is full."
        case .unknownNode: "A node named in the header is not in the directory."
        case .malformed: "The envelope cannot be read."
        case .revoked: "The node's certificate is on the revocation list."
        case .certificate: "The peer's certificate was refused at the TLS handshake."
        case .protocolError: "A frame that is well-formed but not allowed where it came."
        case .receipt: "A delivery receipt whose signature or digests are wrong."
        }
    }

    /// Where the check comes from: the router's own duties, not a rule of the law.
    public var source: String { "router check (eixm's transport and accept path; docs/PROTOCOL.md)" }
}
