import EIXMModel
import X509

extension Certificate {
    /// The URI prefix under which a node ID is bound in a certificate's subject alternative names.
    public static let nodeIDURIPrefix = "urn:eixm:node:"

    /// The node ID bound in the certificate (its `urn:eixm:node:` SAN URI), or `nil` when there is none or the
    /// extension cannot be read.
    public var nodeID: NodeID? {
        guard let names = try? extensions.subjectAlternativeNames else { return nil }
        for name in names {
            if case .uniformResourceIdentifier(let uri) = name, uri.hasPrefix(Self.nodeIDURIPrefix),
                let node = NodeID(String(uri.dropFirst(Self.nodeIDURIPrefix.count)))
            {
                return node
            }
        }
        return nil
    }
}
