import Crypto
import CryptoExtras
import EIXMMerkle
import EIXMModel
import Foundation
import X509

/// A node's identity: its ID, its Ed25519 private key and the certificate that binds the key to the ID.
///
/// One key serves both TLS and message signatures (DESIGN.md §5).
public struct NodeIdentity: Sendable {
    public let nodeID: NodeID
    public let privateKey: Curve25519.Signing.PrivateKey
    public let certificate: Certificate

    /// An identity from a key and a certificate, checking that the certificate binds `nodeID` to this key.
    public init(
        nodeID: NodeID,
        privateKey: Curve25519.Signing.PrivateKey,
        certificate: Certificate
    ) throws(CredentialError) {
        guard certificate.nodeID == nodeID else {
            throw CredentialError(
                .credentialMismatch,
                subject: nodeID.rawValue,
                "the certificate binds \(certificate.nodeID?.rawValue ?? "no node ID"), not \(nodeID)"
            )
        }
        guard certificate.publicKey == Certificate.PublicKey(privateKey.publicKey) else {
            throw CredentialError(
                .credentialMismatch,
                subject: nodeID.rawValue,
                "the private key does not match the certificate"
            )
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

    /// Encodes and signs a message from this node (scheme 1): the signature covers the envelope's signing input.
    public func seal(_ header: Header, body: [UInt8]) throws -> Envelope {
        let (canonicalHeader, input) = try signingInput(header, body: body, scheme: SignatureBlock.ed25519Scheme)
        return try Envelope(
            header: header,
            canonicalHeader: canonicalHeader,
            body: body,
            signature: .ed25519(try signature(for: input))
        )
    }

    /// Encodes and signs messages from this node as one batch (scheme 2): a Merkle tree over their signing inputs,
    /// one signature over its root, and in each envelope the root signature, its place and its path. The envelopes
    /// come back in the order given. At most ``BatchSignature/maximumBatchSize`` messages.
    public func seal(batch messages: [(header: Header, body: [UInt8])]) throws -> [Envelope] {
        guard !messages.isEmpty else { return [] }
        guard messages.count <= BatchSignature.maximumBatchSize else {
            throw CredentialError(
                .signingFailed,
                subject: nodeID.rawValue,
                "a batch of \(messages.count) messages; at most \(BatchSignature.maximumBatchSize)"
            )
        }
        var canonicalHeaders: [[UInt8]] = []
        var leaves: [[UInt8]] = []
        canonicalHeaders.reserveCapacity(messages.count)
        leaves.reserveCapacity(messages.count)
        for (header, body) in messages {
            let (canonicalHeader, input) = try signingInput(header, body: body, scheme: SignatureBlock.batchScheme)
            canonicalHeaders.append(canonicalHeader)
            leaves.append(Envelope.batchLeafHash(input))
        }
        let (root, paths) = MerkleTree.rootAndInclusionProofs(leafHashes: leaves)
        let size = UInt32(messages.count)
        let rootSignature = try signature(for: BatchSignature.rootSigningInput(batchSize: size, root: root))
        return try messages.indices.map { index in
            let batch = try BatchSignature(
                rootSignature: rootSignature,
                leafIndex: UInt32(index),
                batchSize: size,
                path: paths[index]
            )
            return try Envelope(
                header: messages[index].header,
                canonicalHeader: canonicalHeaders[index],
                body: messages[index].body,
                signature: .batch(batch)
            )
        }
    }

    /// The canonical header of a message from this node and its signing input in `scheme`.
    private func signingInput(
        _ header: Header,
        body: [UInt8],
        scheme: UInt8
    ) throws -> (header: [UInt8], input: [UInt8]) {
        guard header.sender == nodeID else {
            throw CredentialError(
                .senderMismatch,
                subject: nodeID.rawValue,
                "cannot sign a message whose sender is \(header.sender)"
            )
        }
        let canonicalHeader = try header.canonicalBytes()
        let input = Envelope.signingInput(
            canonicalHeader: canonicalHeader,
            bodyLength: body.count,
            bodyDigest: SHA256.hash(data: body),
            scheme: scheme
        )
        return (canonicalHeader, input)
    }
}

extension NodeIdentity {
    /// The private key as a PKCS#8 PEM document, for TLS libraries.
    public var privateKeyPEM: String { privateKey.pemRepresentation }
}
