import Crypto
import EIXMModel

/// A delivered envelope whose signature verified with its sender's certified key, with its body's SHA-256: computed
/// once for both the check and the receipt (a recipient hashed each delivered body twice before).
public struct VerifiedDelivery: Sendable {
    public let envelope: Envelope
    let bodyDigest: SHA256Digest

    /// What a receipt for this delivery acknowledges, received at `time`.
    public func receipt(at time: Timestamp) -> DeliveryReceipt.Content {
        DeliveryReceipt.Content(receiving: envelope, bodyDigest: bodyDigest, at: time)
    }
}

extension KeyDirectory {
    /// The envelope verified as a delivery, or `nil` when its signature does not verify (or its sender is unknown).
    public func verifiedDelivery(_ envelope: Envelope) -> VerifiedDelivery? {
        let bodyDigest = SHA256.hash(data: envelope.body)
        guard verify(envelope, bodyDigest: bodyDigest).isValid else { return nil }
        return VerifiedDelivery(envelope: envelope, bodyDigest: bodyDigest)
    }
}
