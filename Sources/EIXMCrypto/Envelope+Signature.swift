import Crypto
import EIXMModel

extension Envelope {
    /// Whether the signature verifies with `publicKey` over this envelope's signing input.
    public func isValidSignature(for publicKey: Curve25519.Signing.PublicKey) -> Bool {
        isValidSignature(for: publicKey, bodyDigest: SHA256.hash(data: body))
    }

    /// The same check with the body's SHA-256 already computed (the router digests the body for the audit log).
    public func isValidSignature(for publicKey: Curve25519.Signing.PublicKey, bodyDigest: SHA256Digest) -> Bool {
        switch signature {
        case .ed25519(let bytes):
            let input = Envelope.signingInput(canonicalHeader: canonicalHeader, bodyDigest: bodyDigest)
            return publicKey.isValidSignature(bytes, for: input)
        }
    }
}
