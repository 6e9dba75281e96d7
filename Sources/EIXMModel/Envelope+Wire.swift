// The envelope layout (README.md, "The canonical encoding"):
//
//   magic     4 bytes  "EIXM"
//   version   u8       1
//   hlen      u32      length of the canonical header, at most 64 KiB
//   header    hlen bytes
//   blen      u32      length of the body, at most 1 MiB
//   body      blen bytes
//   scheme    u8       signature scheme: 1 = Ed25519, 2 = Ed25519 over a batch's Merkle root
//   slen      u16      length of the signature (64 for Ed25519; 73 + 32 per path hash for a batch)
//   signature slen bytes
//
// All integers are big-endian. Nothing may follow the signature.

extension Envelope {
    /// The wire bytes of this envelope.
    public func wireBytes() -> [UInt8] {
        let signatureBytes = signature.bytes
        var writer = WireWriter(capacity: 16 + canonicalHeader.count + body.count + signatureBytes.count)
        writer.append(Self.magic)
        writer.u8(Self.formatVersion)
        writer.u32(UInt32(canonicalHeader.count))
        writer.append(canonicalHeader)
        writer.u32(UInt32(body.count))
        writer.append(body)
        writer.u8(signature.scheme)
        writer.u16(UInt16(signatureBytes.count))
        writer.append(signatureBytes)
        return writer.bytes
    }

    /// Reads an envelope. Total: any byte string gives an envelope or an error naming the field. The signature is
    /// not checked here (that needs the sender's key; see `EnvelopeVerifier` in EIXMCrypto).
    public init(wireBytes bytes: [UInt8]) throws(MessageFormatError) {
        var reader = WireReader(bytes)
        let magic = try reader.slice(4, "magic")
        guard magic.elementsEqual(Self.magic) else {
            throw MessageFormatError(.badMagic, field: "magic", "an envelope starts with 'EIXM'", offset: 0)
        }
        let version = try reader.u8("version")
        guard version == Self.formatVersion else {
            throw MessageFormatError(
                .unknownVersion,
                field: "version",
                "version \(version); this build reads version \(Self.formatVersion)",
                offset: 4
            )
        }
        let headerLength = try reader.u32("header")
        guard headerLength <= WireLimits.maximumHeaderBytes else {
            throw MessageFormatError(
                .tooLong,
                field: "header",
                "\(headerLength) bytes; at most \(WireLimits.maximumHeaderBytes)",
                offset: 5
            )
        }
        let headerStart = reader.offset
        var headerReader = try reader.region(headerLength, "header")
        let header = try Header(reading: &headerReader)
        let canonicalHeader = Array(bytes[headerStart..<headerStart + headerLength])
        let bodyOffset = reader.offset
        let bodyLength = try reader.u32("body")
        guard bodyLength <= WireLimits.maximumBodyBytes else {
            throw MessageFormatError(
                .tooLong,
                field: "body",
                "\(bodyLength) bytes; at most \(WireLimits.maximumBodyBytes)",
                offset: bodyOffset
            )
        }
        let body = try reader.bytes(bodyLength, "body")
        let schemeOffset = reader.offset
        let scheme = try reader.u8("signature")
        let signatureLength = try reader.u16("signature")
        let signatureBytes = try reader.bytes(signatureLength, "signature")
        let signature: SignatureBlock
        do {
            signature = try SignatureBlock(scheme: scheme, bytes: signatureBytes)
        } catch {
            throw error.at(schemeOffset)
        }
        guard reader.isAtEnd else {
            throw MessageFormatError(
                .trailingBytes,
                field: "envelope",
                "\(reader.remaining) byte(s) after the signature",
                offset: reader.offset
            )
        }
        try self.init(header: header, canonicalHeader: canonicalHeader, body: body, signature: signature)
    }
}
