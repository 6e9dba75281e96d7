import Crypto
import EIXMMerkle
import EIXMModel

extension SignatureBlock {
    /// Whether this signature, made with `publicKey`, covers the item whose signing input in a scheme is
    /// `signingInput(scheme)` (an envelope, a delivery receipt). Scheme 1: the signature over that input. Scheme 2:
    /// the batch root recomputed from the leaf SHA-256(0x00 || input) and the path, then the root's signature, found
    /// in `roots` (for this key) or checked and added to it; without `roots`, checked every time.
    func isValid(
        for publicKey: Curve25519.Signing.PublicKey,
        keyBytes: [UInt8]?,
        roots: VerifiedRoots?,
        signingInput: (UInt8) -> [UInt8]
    ) -> Bool {
        switch self {
        case .ed25519(let bytes):
            return publicKey.isValidSignature(bytes, for: signingInput(scheme))
        case .batch(let batch):
            guard let root = Self.root(of: batch, leafInput: signingInput(scheme), memo: roots?.nodes) else {
                return false
            }
            let rootInput = { BatchSignature.rootSigningInput(batchSize: batch.batchSize, root: root) }
            guard let roots else { return publicKey.isValidSignature(batch.rootSignature, for: rootInput()) }
            let entry = VerifiedRoots.Entry(
                key: keyBytes ?? Array(publicKey.rawRepresentation),
                batchSize: batch.batchSize,
                root: root,
                signature: batch.rootSignature
            )
            if roots.contains(entry) { return true }
            let valid = publicKey.isValidSignature(batch.rootSignature, for: rootInput())
            roots.verified(entry, valid: valid)
            return valid
        }
    }

    /// The root of the batch that the path leads to from the leaf of `leafInput`, or `nil` when the path does not
    /// fit the batch's shape; node hashes through `memo` when there is one.
    static func root(of batch: BatchSignature, leafInput: [UInt8], memo: NodeHashMemo? = nil) -> [UInt8]? {
        try? MerkleProof.rootFromInclusion(
            index: UInt64(batch.leafIndex),
            size: UInt64(batch.batchSize),
            leafHash: leafHash(leafInput),
            path: batch.pathBytes,
            memo: memo
        )
    }

    /// The leaf hash of a signing input in its batch's tree: RFC 9162's SHA-256(0x00 || signing input).
    static func leafHash(_ signingInput: [UInt8]) -> [UInt8] {
        // Hashed in place: the generic overload copies the input first, once per envelope on the router's path.
        signingInput.withUnsafeBytes { MerkleTree.leafHash($0) }
    }
}
