import Crypto
import EIXMModel
import X509

/// The public keys of known nodes, taken from certificates the PKI has validated, used to check who signed an
/// envelope.
public struct KeyDirectory: Sendable {
    private var keys: [NodeID: Curve25519.Signing.PublicKey]

    public init(keys: [NodeID: Curve25519.Signing.PublicKey] = [:]) { self.keys = keys }

    /// A directory of the Ed25519 keys bound in these certificates. Certificates without a node ID or with another
    /// key type are refused.
    public init(certificates: some Sequence<Certificate>) throws(CredentialError) {
        keys = [:]
        for certificate in certificates {
            guard let node = certificate.nodeID else {
                throw CredentialError(.credentialMismatch, subject: "\(certificate.subject)", "the certificate binds no node ID")
            }
            guard let key = Curve25519.Signing.PublicKey(certificate.publicKey) else {
                throw CredentialError(.malformedCredential, subject: node.rawValue, "the certificate's key is not Ed25519")
            }
            keys[node] = key
        }
    }

    public var nodes: [NodeID] { keys.keys.sorted() }

    public func key(for node: NodeID) -> Curve25519.Signing.PublicKey? { keys[node] }

    public mutating func set(_ key: Curve25519.Signing.PublicKey, for node: NodeID) { keys[node] = key }

    /// Checks that the envelope was signed by the key certified for its sender.
    public func verify(_ envelope: Envelope) -> SignatureVerdict {
        verify(envelope, bodyDigest: SHA256.hash(data: envelope.body))
    }

    /// The same check with the body's SHA-256 already computed.
    public func verify(_ envelope: Envelope, bodyDigest: SHA256Digest) -> SignatureVerdict {
        let sender = envelope.header.sender
        guard let key = keys[sender] else { return .unknownSender(sender) }
        return envelope.isValidSignature(for: key, bodyDigest: bodyDigest) ? .valid : .badSignature(sender)
    }
}
