import Foundation

/// A recipient's signed receipt for a delivery: which message it received (the digests of the header and body as
/// delivered) and when (its simulated time), signed with its own key. The router verifies it before it counts the
/// delivery as acknowledged and writes it into the `acknowledged` audit record, so that an audit proof shows who
/// received what, signed by them (non-repudiation of receipt).
///
/// The signature covers ``signingInput(recipient:scheme:)``: a domain tag of its own (so a receipt's signature can
/// never pass for an envelope's, nor a receipt leaf for an envelope leaf in a batch), the message ID, the recipient,
/// both digests, the time and the signature scheme. Scheme 1 signs each receipt; scheme 2 signs the Merkle root of
/// the receipts a node sends together, exactly as for envelopes (``BatchSignature``).
public struct DeliveryReceipt: Hashable, Sendable {
    /// What a receipt says, before it is signed.
    public struct Content: Hashable, Sendable {
        public let message: UUID
        /// SHA-256 of the canonical header as delivered (32 bytes).
        public let headerDigest: [UInt8]
        /// SHA-256 of the body as delivered (32 bytes).
        public let bodyDigest: [UInt8]
        /// When the recipient received the delivery (its simulated time).
        public let receivedAt: Timestamp

        /// A receipt's content; digests of any length other than 32 bytes are refused.
        public init(
            message: UUID,
            headerDigest: [UInt8],
            bodyDigest: [UInt8],
            receivedAt: Timestamp
        ) throws(MessageFormatError) {
            for (field, digest) in [("header digest", headerDigest), ("body digest", bodyDigest)]
            where digest.count != DeliveryReceipt.digestLength {
                throw MessageFormatError(
                    .invalidValue,
                    field: field,
                    "a SHA-256 digest is \(DeliveryReceipt.digestLength) bytes, not \(digest.count)"
                )
            }
            self.message = message
            self.headerDigest = headerDigest
            self.bodyDigest = bodyDigest
            self.receivedAt = receivedAt
        }

        /// The bytes a receipt's signature covers: the receipt tag, the message ID (16 bytes), the recipient's node
        /// ID (u8 length + ASCII), the header digest, the body digest (32 bytes each), the time received (i64 ms
        /// since the epoch) and the signature scheme (u8). Integers big-endian.
        public func signingInput(recipient: NodeID, scheme: UInt8) -> [UInt8] {
            var writer = WireWriter(capacity: DeliveryReceipt.signatureDomain.count + 16 + 1 + 64 + 64 + 9)
            writer.append(DeliveryReceipt.signatureDomain)
            withUnsafeBytes(of: message.uuid) { writer.append($0) }
            writer.shortText(recipient.rawValue)
            writer.append(headerDigest)
            writer.append(bodyDigest)
            writer.u64(UInt64(bitPattern: receivedAt.millisecondsSinceEpoch))
            writer.u8(scheme)
            return writer.bytes
        }
    }

    public let content: Content
    public let signature: SignatureBlock

    public init(content: Content, signature: SignatureBlock) {
        self.content = content
        self.signature = signature
    }

    public var message: UUID { content.message }

    /// The domain-separation tag that starts a receipt's signing input.
    public static let signatureDomain: [UInt8] = Array("EIXM-DELIVERY-RECEIPT-V1".utf8) + [0]
    /// The length of a SHA-256 digest.
    public static let digestLength = 32
}
