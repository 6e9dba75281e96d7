import EIXMModel

/// Whether a certificate chains to the exercise CA under RFC 5280 and binds a node ID.
public enum TrustVerdict: Hashable, Sendable, CustomStringConvertible {
    /// The certificate is valid and certifies this node.
    case trusted(NodeID)
    /// The certificate is refused, with the reason.
    case refused(String)

    public var isTrusted: Bool {
        if case .trusted = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case .trusted(let node): "trusted: certifies \(node)"
        case .refused(let reason): "refused: \(reason)"
        }
    }
}
