/// A signed operational message: header, body and the sender's signature.
///
/// The canonical header bytes are computed once, when the envelope is made or read, and kept: they are what
/// the signature covers, so verification never re-encodes.
public struct Envelope: Hashable, Sendable {
    public let header: Header
    /// The canonical encoding of `header`.
    public let canonicalHeader: [UInt8]
    /// The body: opaque bytes, at most ``WireLimits/maximumBodyBytes``. The router never reads it.
    public let body: [UInt8]
    public let signature: SignatureBlock

    /// The envelope format version this build writes and reads.
    public static let formatVersion: UInt8 = 1
    /// The first four bytes of every envelope: `EIXM`.
    public static let magic: [UInt8] = Array("EIXM".utf8)
    /// The domain-separation tag that starts every signing input.
    public static let signatureDomain: [UInt8] = Array("EIXM-ENVELOPE-SIGNATURE-V2".utf8) + [0]

    /// An envelope from a header already encoded; the caller signed its signing input.
    public init(
        header: Header,
        canonicalHeader: [UInt8],
        body: [UInt8],
        signature: SignatureBlock
    ) throws(MessageFormatError) {
        guard body.count <= WireLimits.maximumBodyBytes else {
            throw MessageFormatError(
                .tooLong,
                field: "body",
                "\(body.count) bytes; at most \(WireLimits.maximumBodyBytes)"
            )
        }
        self.header = header
        self.canonicalHeader = canonicalHeader
        self.body = body
        self.signature = signature
    }

    /// The bytes a signature covers: the domain tag, then the envelope's own framing and content in wire order (the
    /// magic, the format version, the header length and the canonical header, the body length), the SHA-256 digest
    /// of the body (32 bytes) in place of the body, and the signature scheme. A verifier holding only the body's
    /// digest can check a signature; no envelope can be moved from one scheme to the other.
    public static func signingInput(
        canonicalHeader: [UInt8],
        bodyLength: Int,
        bodyDigest: some Sequence<UInt8>,
        scheme: UInt8
    ) -> [UInt8] {
        var writer = WireWriter(capacity: signatureDomain.count + 15 + canonicalHeader.count + 32)
        writer.append(signatureDomain)
        writer.append(magic)
        writer.u8(formatVersion)
        writer.u32(UInt32(canonicalHeader.count))
        writer.append(canonicalHeader)
        writer.u32(UInt32(bodyLength))
        writer.append(bodyDigest)
        writer.u8(scheme)
        return writer.bytes
    }

    /// This envelope's signing input for `scheme`, with the body's digest already computed.
    public func signingInput(bodyDigest: some Sequence<UInt8>, scheme: UInt8) -> [UInt8] {
        Self.signingInput(
            canonicalHeader: canonicalHeader,
            bodyLength: body.count,
            bodyDigest: bodyDigest,
            scheme: scheme
        )
    }
}
