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
        signature.isValid(for: publicKey, keyBytes: keyBytes, roots: roots) { scheme in
            signingInput(bodyDigest: bodyDigest, scheme: scheme)
        }
    }
}
