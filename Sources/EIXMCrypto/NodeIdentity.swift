import Crypto
import CryptoExtras
import Foundation
import EIXMModel
import X509

/// A node's identity: its ID, its Ed25519 private key and the certificate that binds the key to the ID.
///
/// One key serves both TLS and message signatures (DESIGN.md §5).
public struct NodeIdentity: Sendable {
    public let nodeID: NodeID
    public let privateKey: Curve25519.Signing.PrivateKey
    public let certificate: Certificate

    /// An identity from a key and a certificate, checking that the certificate binds `nodeID` to this key.
    public init(nodeID: NodeID, privateKey: Curve25519.Signing.PrivateKey, certificate: Certificate) throws(CredentialError) {
        guard certificate.nodeID == nodeID else {
            throw CredentialError(
                .credentialMismatch,
                subject: nodeID.rawValue,
                "the certificate binds \(certificate.nodeID?.rawValue ?? "no node ID"), not \(nodeID)"
            )
        }
        guard certificate.publicKey == Certificate.PublicKey(privateKey.publicKey) else {
            throw CredentialError(.credentialMismatch, subject: nodeID.rawValue, "the private key does not match the certificate")
        }
        self.nodeID = nodeID
        self.privateKey = privateKey
        self.certificate = certificate
    }

    public var publicKey: Curve25519.Signing.PublicKey { privateKey.publicKey }

    /// A signature over `data` with this node's key.
    public func signature(for data: some DataProtocol) throws(CredentialError) -> [UInt8] {
        do {
            return Array(try privateKey.signature(for: data))
        } catch {
            throw CredentialError(.signingFailed, subject: nodeID.rawValue, "Ed25519 signing failed", cause: error)
        }
    }

    /// Encodes and signs a message from this node: the signature covers the domain tag, the canonical header and
    /// the SHA-256 of the body.
    public func seal(_ header: Header, body: [UInt8]) throws -> Envelope {
        guard header.sender == nodeID else {
            throw CredentialError(.senderMismatch, subject: nodeID.rawValue, "cannot sign a message whose sender is \(header.sender)")
        }
        let canonicalHeader = try header.canonicalBytes()
        let input = Envelope.signingInput(canonicalHeader: canonicalHeader, bodyDigest: SHA256.hash(data: body))
        return try Envelope(
            header: header,
            canonicalHeader: canonicalHeader,
            body: body,
            signature: .ed25519(try signature(for: input))
        )
    }
}

extension NodeIdentity {
    /// The private key as a PKCS#8 PEM document, for TLS libraries.
    public var privateKeyPEM: String { privateKey.pemRepresentation }
}
