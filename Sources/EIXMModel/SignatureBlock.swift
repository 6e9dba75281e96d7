/// How an envelope is signed: a tagged union, so that further schemes can be added without a new envelope
/// version.
///
/// Scheme 1 is one Ed25519 signature per message. Scheme 2 is reserved for batch signatures (a signed Merkle root
/// over a batch, RFC 6962 hashing, with the message's inclusion path); this build refuses it as unknown.
public enum SignatureBlock: Hashable, Sendable {
    /// One Ed25519 signature (64 bytes) over the envelope's signing input.
    case ed25519([UInt8])

    /// The scheme's tag on the wire.
    public var scheme: UInt8 {
        switch self {
        case .ed25519: 1
        }
    }

    /// The scheme's name, for people.
    public var schemeName: String {
        switch self {
        case .ed25519: "ed25519"
        }
    }

    /// The signature bytes.
    public var bytes: [UInt8] {
        switch self {
        case .ed25519(let bytes): bytes
        }
    }

    /// The length of an Ed25519 signature.
    public static let ed25519Length = 64
}
