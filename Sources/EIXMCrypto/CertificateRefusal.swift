import EIXMModel

/// Why a peer's certificate was refused at the TLS handshake, and which certificate it was.
public struct CertificateRefusal: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, CaseIterable {
        /// The bytes are not a certificate.
        case unreadable
        /// No chain to the exercise CA, or outside its validity period (RFC 5280 path validation).
        case untrusted
        /// A CA certificate (basic constraints CA:TRUE) presented as a node's.
        case certificateAuthority = "certificate_authority"
        /// No digital-signature key usage or no client-auth extended key usage, as the PKI sets on node
        /// certificates.
        case notForClients = "not_for_clients"
        /// No valid `urn:eixm:node:` subject alternative name.
        case noNodeID = "no_node_id"
        /// The certificate names the router itself.
        case namesRouter = "names_router"
        /// The certificate is on the exercise CA's revocation list.
        case revoked
    }

    public let kind: Kind
    /// SHA-256 of the certificate's DER encoding, hex (as `openssl x509 -fingerprint -sha256` shows it).
    public let fingerprint: String
    /// The node ID the certificate names, when it names one (not proven: the certificate was refused).
    public let node: NodeID?
    public let detail: String

    public init(kind: Kind, fingerprint: String, node: NodeID?, detail: String) {
        self.kind = kind
        self.fingerprint = fingerprint
        self.node = node
        self.detail = detail
    }

    public var description: String { "certificate \(fingerprint.prefix(16))... refused: \(detail)" }
}
