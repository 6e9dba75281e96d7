import EIXMModel

/// The outcome of checking an envelope's signature. A bad signature is an outcome to report and audit, not a
/// thrown error.
public enum SignatureVerdict: Hashable, Sendable, CustomStringConvertible {
    /// The signature is the sender's.
    case valid
    /// No key is known for the sender the header names.
    case unknownSender(NodeID)
    /// The signature does not verify with the sender's key: the header, body or signature was changed, or another
    /// key signed it.
    case badSignature(NodeID)

    public var isValid: Bool { self == .valid }

    public var description: String {
        switch self {
        case .valid: "valid signature"
        case .unknownSender(let node): "unknown sender: no certificate for \(node)"
        case .badSignature(let node): "bad signature: does not verify with the key certified for \(node)"
        }
    }
}
