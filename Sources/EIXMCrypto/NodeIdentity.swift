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
        var canonicalHeaders: [[UInt8]] = []
        var inputs: [[UInt8]] = []
        canonicalHeaders.reserveCapacity(messages.count)
        inputs.reserveCapacity(messages.count)
        for (header, body) in messages {
            let (canonicalHeader, input) = try signingInput(header, body: body, scheme: SignatureBlock.batchScheme)
            canonicalHeaders.append(canonicalHeader)
            inputs.append(input)
        }
        let signatures = try batchSignatures(inputs)
        return try messages.indices.map { index in
            try Envelope(
                header: messages[index].header,
                canonicalHeader: canonicalHeaders[index],
                body: messages[index].body,
                signature: signatures[index]
            )
        }
    }

    /// Signs receipts for deliveries this node received, in order: each alone (scheme 1) or in batches of at most
    /// `batchMaximum` (scheme 2), as ``seal(_:mode:batchMaximum:)`` signs messages.
    public func receipts(
        _ contents: [DeliveryReceipt.Content],
        mode: SignatureMode,
        batchMaximum: Int = Int(BatchSignature.maximumBatchSize)
    ) throws(CredentialError) -> [DeliveryReceipt] {
        switch mode {
        case .perMessage:
            var receipts: [DeliveryReceipt] = []
            receipts.reserveCapacity(contents.count)
            for content in contents {
                let input = content.signingInput(recipient: nodeID, scheme: SignatureBlock.ed25519Scheme)
                receipts.append(DeliveryReceipt(content: content, signature: .ed25519(try signature(for: input))))
            }
            return receipts
        case .batch:
            var receipts: [DeliveryReceipt] = []
            receipts.reserveCapacity(contents.count)
            for batch in SignatureMode.batches(contents, maximum: batchMaximum) {
                let signatures = try batchSignatures(
                    batch.map { $0.signingInput(recipient: nodeID, scheme: SignatureBlock.batchScheme) }
                )
                for (content, signature) in zip(batch, signatures) {
                    receipts.append(DeliveryReceipt(content: content, signature: signature))
                }
            }
            return receipts
        }
    }

    /// Scheme 2 over signing inputs made for it: a Merkle tree over them, one signature over its root, and for each
    /// input the root signature, its place and its path. At most ``BatchSignature/maximumBatchSize`` inputs.
    private func batchSignatures(_ inputs: [[UInt8]]) throws(CredentialError) -> [SignatureBlock] {
        guard !inputs.isEmpty else { return [] }
        guard inputs.count <= BatchSignature.maximumBatchSize else {
            throw CredentialError(
                .signingFailed,
                subject: nodeID.rawValue,
                "a batch of \(inputs.count) items; at most \(BatchSignature.maximumBatchSize)"
            )
        }
        let (root, paths) = MerkleTree.rootAndInclusionPaths(leafHashes: inputs.map(SignatureBlock.leafHash))
        let size = UInt32(inputs.count)
        let rootSignature = try signature(for: BatchSignature.rootSigningInput(batchSize: size, root: root))
        var signatures: [SignatureBlock] = []
        signatures.reserveCapacity(inputs.count)
        for index in inputs.indices {
            do {
                signatures.append(
                    .batch(
                        try BatchSignature(
                            rootSignature: rootSignature,
                            leafIndex: UInt32(index),
                            batchSize: size,
                            pathBytes: paths[index]
                        )
                    )
                )
            } catch {
                // The tree's own paths always fit its shape.
                throw CredentialError(.signingFailed, subject: nodeID.rawValue, "\(error)")
            }
        }
        return signatures
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
