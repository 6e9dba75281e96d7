import Crypto
import EIXMModel

extension Envelope {
    /// Whether the signature verifies with `publicKey` over this envelope's signing input.
    public func isValidSignature(for publicKey: Curve25519.Signing.PublicKey) -> Bool {
        switch signature {
        case .ed25519(let bytes):
            let input = Envelope.signingInput(canonicalHeader: canonicalHeader, bodyDigest: SHA256.hash(data: body))
            return publicKey.isValidSignature(bytes, for: input)
        }
    }
}
