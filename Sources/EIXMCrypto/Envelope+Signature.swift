import Crypto
import EIXMMerkle
import EIXMModel

extension Envelope {
    /// Whether the signature verifies with `publicKey` over this envelope's signing input.
    public func isValidSignature(for publicKey: Curve25519.Signing.PublicKey) -> Bool {
        isValidSignature(for: publicKey, bodyDigest: SHA256.hash(data: body))
    }

    /// The same check with the body's SHA-256 already computed (the router digests the body for the audit log).
    /// A batch signature is checked in full: the root from the path, then its signature (no cache).
    public func isValidSignature(for publicKey: Curve25519.Signing.PublicKey, bodyDigest: SHA256Digest) -> Bool {
        isValidSignature(for: publicKey, keyBytes: nil, bodyDigest: bodyDigest, roots: nil)
    }

    /// The check with a cache of verified batch roots: a batch envelope whose root (for this key) is in `roots`
    /// costs the path's hashes only; a root verified here is added.
    func isValidSignature(
        for publicKey: Curve25519.Signing.PublicKey,
        keyBytes: [UInt8]?,
        bodyDigest: SHA256Digest,
        roots: VerifiedRoots?
    ) -> Bool {
        switch signature {
        case .ed25519(let bytes):
            return publicKey.isValidSignature(
                bytes,
                for: signingInput(bodyDigest: bodyDigest, scheme: signature.scheme)
            )
        case .batch(let batch):
            guard let root = batchRoot(batch, bodyDigest: bodyDigest) else { return false }
            guard let roots else {
                return publicKey.isValidSignature(
                    batch.rootSignature,
                    for: BatchSignature.rootSigningInput(batchSize: batch.batchSize, root: root)
                )
            }
            let entry = VerifiedRoots.Entry(
                key: keyBytes ?? Array(publicKey.rawRepresentation),
                batchSize: batch.batchSize,
                root: root,
                signature: batch.rootSignature
            )
            if roots.contains(entry) { return true }
            let valid = publicKey.isValidSignature(
                batch.rootSignature,
                for: BatchSignature.rootSigningInput(batchSize: batch.batchSize, root: root)
            )
            roots.verified(entry, valid: valid)
            return valid
        }
    }

    /// The root of the batch this envelope's path leads to, or `nil` when the path does not fit the batch's shape.
    func batchRoot(_ batch: BatchSignature, bodyDigest: SHA256Digest) -> [UInt8]? {
        try? MerkleProof.rootFromInclusion(
            index: UInt64(batch.leafIndex),
            size: UInt64(batch.batchSize),
            leafHash: Self.batchLeafHash(signingInput(bodyDigest: bodyDigest, scheme: SignatureBlock.batchScheme)),
            proof: batch.path
        )
    }

    /// The leaf hash of an envelope in its batch's tree: RFC 9162's SHA-256(0x00 || signing input).
    static func batchLeafHash(_ signingInput: [UInt8]) -> [UInt8] {
        // Hashed in place: the generic overload copies the input first, once per envelope on the router's path.
        signingInput.withUnsafeBytes { MerkleTree.leafHash($0) }
    }
}
