import Crypto
import EIXMModel

extension DeliveryReceipt.Content {
    /// What a recipient acknowledges of an envelope it received at `time`: the SHA-256 digests of its canonical
    /// header and its body, as the router computed them when it accepted the message.
    public init(receiving envelope: Envelope, at time: Timestamp) {
        self.init(receiving: envelope, bodyDigest: SHA256.hash(data: envelope.body), at: time)
    }

    /// The same with the body's digest already computed.
    init(receiving envelope: Envelope, bodyDigest: SHA256Digest, at time: Timestamp) {
        // Both digests are 32 bytes by construction.
        try! self.init(
            message: envelope.header.id,
            headerDigest: SHA256.hash(data: envelope.canonicalHeader).withUnsafeBytes { Array($0) },
            bodyDigest: bodyDigest.withUnsafeBytes { Array($0) },
            receivedAt: time
        )
    }
}
