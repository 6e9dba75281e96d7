/// Signature scheme 2: one Ed25519 signature over the Merkle root of a batch of envelopes, and this envelope's place
/// in the batch.
///
/// The batch is an RFC 9162 Merkle tree whose entries are the envelopes' signing inputs (each starts with the
/// envelope signature tag, so no entry can be an audit record, whose entries start with `{`). The root is not sent:
/// a verifier recomputes it from the envelope and `path`, then checks `rootSignature` over
/// ``rootSigningInput(batchSize:root:)``. Every envelope of a batch carries the same root signature and stays
/// verifiable on its own.
///
/// Wire form of the signature field (scheme 2): root signature (64 bytes), leaf index (u32), batch size (u32),
/// path length (u8), then the path's hashes (32 bytes each, lowest first).
public struct BatchSignature: Hashable, Sendable {
    /// The sender's Ed25519 signature over ``rootSigningInput(batchSize:root:)``.
    public let rootSignature: [UInt8]
    /// This envelope's entry in the batch, from 0.
    public let leafIndex: UInt32
    /// How many envelopes the batch holds.
    public let batchSize: UInt32
    /// The inclusion proof of this envelope in the batch's tree: the sibling hashes, lowest first, concatenated (32
    /// bytes each), as the wire carries them.
    public let pathBytes: [UInt8]

    /// The inclusion proof's hashes one by one.
    public var path: [[UInt8]] {
        stride(from: 0, to: pathBytes.count, by: Self.hashLength).map { Array(pathBytes[$0..<($0 + Self.hashLength)]) }
    }

    /// The domain-separation tag that starts a batch root's signing input.
    public static let rootSignatureDomain: [UInt8] = Array("EIXM-BATCH-ROOT-V1".utf8) + [0]
    /// The largest batch this build writes and reads.
    public static let maximumBatchSize: UInt32 = 4_096
    /// The length of a Merkle hash (SHA-256).
    public static let hashLength = 32

    /// A batch signature, checked for shape: a 64-byte signature, a leaf inside the batch, a path as long as the
    /// tree's shape asks.
    public init(
        rootSignature: [UInt8],
        leafIndex: UInt32,
        batchSize: UInt32,
        path: [[UInt8]]
    ) throws(MessageFormatError) {
        guard path.allSatisfy({ $0.count == Self.hashLength }) else {
            throw MessageFormatError(.invalidValue, field: "signature", "a path hash is \(Self.hashLength) bytes")
        }
        try self.init(
            rootSignature: rootSignature,
            leafIndex: leafIndex,
            batchSize: batchSize,
            pathBytes: path.flatMap { $0 }
        )
    }

    /// The same with the path's hashes concatenated, lowest first.
    public init(
        rootSignature: [UInt8],
        leafIndex: UInt32,
        batchSize: UInt32,
        pathBytes: [UInt8]
    ) throws(MessageFormatError) {
        guard rootSignature.count == SignatureBlock.ed25519Length else {
            throw MessageFormatError(
                .invalidValue,
                field: "signature",
                "a batch's root signature is \(SignatureBlock.ed25519Length) bytes, not \(rootSignature.count)"
            )
        }
        guard batchSize >= 1, batchSize <= Self.maximumBatchSize else {
            throw MessageFormatError(
                .invalidValue,
                field: "signature",
                "a batch of \(batchSize) envelopes; a batch holds 1 to \(Self.maximumBatchSize)"
            )
        }
        guard leafIndex < batchSize else {
            throw MessageFormatError(
                .invalidValue,
                field: "signature",
                "leaf \(leafIndex) is outside its batch of \(batchSize) (leaves 0 to \(batchSize - 1))"
            )
        }
        guard pathBytes.count % Self.hashLength == 0 else {
            throw MessageFormatError(.invalidValue, field: "signature", "a path hash is \(Self.hashLength) bytes")
        }
        let expected = Self.pathLength(leafIndex: leafIndex, batchSize: batchSize)
        let count = pathBytes.count / Self.hashLength
        guard count == expected else {
            throw MessageFormatError(
                .invalidValue,
                field: "signature",
                "leaf \(leafIndex) of a batch of \(batchSize) has a path of \(expected) hashes, not \(count)"
            )
        }
        self.rootSignature = rootSignature
        self.leafIndex = leafIndex
        self.batchSize = batchSize
        self.pathBytes = pathBytes
    }

    /// The bytes the root signature covers: the tag, the batch size (u32) and the root (32 bytes).
    public static func rootSigningInput(batchSize: UInt32, root: [UInt8]) -> [UInt8] {
        var writer = WireWriter(capacity: rootSignatureDomain.count + 4 + root.count)
        writer.append(rootSignatureDomain)
        writer.u32(batchSize)
        writer.append(root)
        return writer.bytes
    }

    /// How many hashes the inclusion proof of `leafIndex` in a tree of `batchSize` entries holds (RFC 9162 §2.1.3).
    public static func pathLength(leafIndex: UInt32, batchSize: UInt32) -> Int {
        var (low, high, count) = (UInt32(0), batchSize, 0)
        while high - low > 1 {
            // The tree splits at the largest power of two below its size.
            let middle = low + (1 << (31 - (high - low - 1).leadingZeroBitCount))
            if leafIndex < middle { high = middle } else { low = middle }
            count += 1
        }
        return count
    }

    /// The signature field's bytes.
    var bytes: [UInt8] {
        var writer = WireWriter(capacity: 73 + pathBytes.count)
        writer.append(rootSignature)
        writer.u32(leafIndex)
        writer.u32(batchSize)
        writer.u8(UInt8(pathBytes.count / Self.hashLength))
        writer.append(pathBytes)
        return writer.bytes
    }

    /// Reads the signature field of scheme 2 (errors name the field `signature`; the caller adds the offset).
    init(reading bytes: [UInt8]) throws(MessageFormatError) {
        var reader = WireReader(bytes)
        let rootSignature = try reader.bytes(SignatureBlock.ed25519Length, "signature")
        let leafIndex = UInt32(try reader.u32("signature"))
        let batchSize = UInt32(try reader.u32("signature"))
        let pathCount = Int(try reader.u8("signature"))
        let pathBytes = try reader.bytes(pathCount * Self.hashLength, "signature")
        guard reader.isAtEnd else {
            throw MessageFormatError(
                .trailingBytes,
                field: "signature",
                "\(reader.remaining) byte(s) after the batch path"
            )
        }
        try self.init(rootSignature: rootSignature, leafIndex: leafIndex, batchSize: batchSize, pathBytes: pathBytes)
    }
}
