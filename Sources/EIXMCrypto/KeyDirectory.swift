import Crypto
import EIXMModel
import X509

/// The public keys of known nodes, taken from certificates the PKI has validated, used to check who signed an
/// envelope.
///
/// Batch-signed envelopes are checked against a cache of verified roots (`verifiedRoots`), shared by every copy of
/// the directory: a root is kept with the key that verified it, so a key changed with `set` never inherits the old
/// key's roots.
public struct KeyDirectory: Sendable {
    private struct Key: Sendable {
        let key: Curve25519.Signing.PublicKey
        let bytes: [UInt8]

        init(_ key: Curve25519.Signing.PublicKey) {
            self.key = key
            bytes = Array(key.rawRepresentation)
        }
    }

    private var keys: [NodeID: Key]
    /// The batch roots verified with these keys.
    public private(set) var verifiedRoots: VerifiedRoots

    public init(keys: [NodeID: Curve25519.Signing.PublicKey] = [:], verifiedRoots: VerifiedRoots = VerifiedRoots()) {
        self.keys = keys.mapValues(Key.init)
        self.verifiedRoots = verifiedRoots
    }

    /// A directory of the Ed25519 keys bound in these certificates. Certificates without a node ID or with another
    /// key type are refused.
    public init(
        certificates: some Sequence<Certificate>,
        verifiedRoots: VerifiedRoots = VerifiedRoots()
    ) throws(CredentialError) {
        keys = [:]
        self.verifiedRoots = verifiedRoots
        for certificate in certificates {
            guard let node = certificate.nodeID else {
                throw CredentialError(
                    .credentialMismatch,
                    subject: "\(certificate.subject)",
                    "the certificate binds no node ID"
                )
            }
            guard let key = Curve25519.Signing.PublicKey(certificate.publicKey) else {
                throw CredentialError(
                    .malformedCredential,
                    subject: node.rawValue,
                    "the certificate's key is not Ed25519"
                )
            }
            keys[node] = Key(key)
        }
    }

    public var nodes: [NodeID] { keys.keys.sorted() }

    /// The same keys with a cache of verified roots of its own: for each verifier (the router, each node), so that
    /// none counts on another's checks; with `memoizedNodes`, also a memo of that many batch-path node hashes (see
    /// ``VerifiedRoots/nodes``).
    public func withOwnRootCache(capacity: Int = 8_192, memoizedNodes: Int = 0) -> KeyDirectory {
        var copy = self
        copy.verifiedRoots = VerifiedRoots(capacity: capacity, memoizedNodes: memoizedNodes)
        return copy
    }

    public func key(for node: NodeID) -> Curve25519.Signing.PublicKey? { keys[node]?.key }

    public mutating func set(_ key: Curve25519.Signing.PublicKey, for node: NodeID) { keys[node] = Key(key) }

    /// Checks that the envelope was signed by the key certified for its sender.
    public func verify(_ envelope: Envelope) -> SignatureVerdict {
        verify(envelope, bodyDigest: SHA256.hash(data: envelope.body))
    }

    /// The same check with the body's SHA-256 already computed.
    public func verify(_ envelope: Envelope, bodyDigest: SHA256Digest) -> SignatureVerdict {
        let sender = envelope.header.sender
        guard let key = keys[sender] else { return .unknownSender(sender) }
        let valid = envelope.isValidSignature(
            for: key.key,
            keyBytes: key.bytes,
            bodyDigest: bodyDigest,
            roots: verifiedRoots
        )
        return valid ? .valid : .badSignature(sender)
    }

    /// Checks that a delivery receipt was signed by the key certified for `recipient`, the node that sent it.
    public func verify(_ receipt: DeliveryReceipt, from recipient: NodeID) -> SignatureVerdict {
        guard let key = keys[recipient] else { return .unknownSender(recipient) }
        let valid = receipt.signature.isValid(for: key.key, keyBytes: key.bytes, roots: verifiedRoots) { scheme in
            receipt.content.signingInput(recipient: recipient, scheme: scheme)
        }
        return valid ? .valid : .badSignature(recipient)
    }
}
