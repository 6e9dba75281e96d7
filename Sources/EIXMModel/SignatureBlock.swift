/// How an envelope is signed: a tagged union, so that further schemes can be added without a new envelope
/// version.
///
/// Scheme 1 is one Ed25519 signature per message. Scheme 2 is a batch signature: one Ed25519 signature over the
/// RFC 9162 Merkle root of a batch, with the message's place and inclusion path (``BatchSignature``). Either way the
/// signed bytes include the scheme (``Envelope/signingInput(canonicalHeader:bodyLength:bodyDigest:scheme:)``), so an
/// envelope cannot be turned from one scheme into the other.
public enum SignatureBlock: Hashable, Sendable {
    /// One Ed25519 signature (64 bytes) over the envelope's signing input.
    case ed25519([UInt8])
    /// One Ed25519 signature over a batch's Merkle root, whose entries are the batch's signing inputs.
    case batch(BatchSignature)

    /// The scheme's tag on the wire.
    public var scheme: UInt8 {
        switch self {
        case .ed25519: Self.ed25519Scheme
        case .batch: Self.batchScheme
        }
    }

    /// The scheme's name, for people.
    public var schemeName: String {
        switch self {
        case .ed25519: "ed25519"
        case .batch: "ed25519-batch"
        }
    }

    /// The scheme tag of a scheme's name (``schemeName``), or `nil` for a name this build does not know.
    public static func scheme(named name: String) -> UInt8? {
        switch name {
        case "ed25519": ed25519Scheme
        case "ed25519-batch": batchScheme
        default: nil
        }
    }

    /// The signature field's bytes.
    public var bytes: [UInt8] {
        switch self {
        case .ed25519(let bytes): bytes
        case .batch(let batch): batch.bytes
        }
    }

    /// Reads a signature field of `scheme`; errors name the field `signature`.
    public init(scheme: UInt8, bytes: [UInt8]) throws(MessageFormatError) {
        switch scheme {
        case Self.ed25519Scheme:
            guard bytes.count == Self.ed25519Length else {
                throw MessageFormatError(
                    .invalidValue,
                    field: "signature",
                    "an Ed25519 signature is \(Self.ed25519Length) bytes, not \(bytes.count)"
                )
            }
            self = .ed25519(bytes)
        case Self.batchScheme:
            self = .batch(try BatchSignature(reading: bytes))
        default:
            throw MessageFormatError(
                .unknownSignatureScheme,
                field: "signature",
                "scheme \(scheme); this build reads scheme 1 (Ed25519) and 2 (Ed25519 over a batch's Merkle root)"
            )
        }
    }

    /// The length of an Ed25519 signature.
    public static let ed25519Length = 64
    /// Scheme 1: one Ed25519 signature per envelope.
    public static let ed25519Scheme: UInt8 = 1
    /// Scheme 2: an Ed25519 signature over a batch's Merkle root.
    public static let batchScheme: UInt8 = 2
}
