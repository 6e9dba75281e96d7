import Crypto

/// Signs the audit log's checkpoints: the router's Ed25519 key.
public struct AuditSigner: Sendable {
    /// Who signs (the router's node ID), written into each checkpoint.
    public let signer: String
    let key: Curve25519.Signing.PrivateKey

    public init(signer: String, key: Curve25519.Signing.PrivateKey) {
        self.signer = signer
        self.key = key
    }

    public var publicKey: Curve25519.Signing.PublicKey { key.publicKey }

    func signature(for input: [UInt8]) throws -> [UInt8] { Array(try key.signature(for: input)) }
}
