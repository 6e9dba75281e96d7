import EIXMModel

/// How a node signs what it sends: one signature per message (scheme 1), or one per batch of what is queued when its
/// writer wakes (scheme 2: a batch of one when idle, up to a maximum under load).
public enum SignatureMode: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case perMessage = "per_message"
    case batch

    public var description: String { rawValue }

    /// The spellings, for messages: `per_message` or `batch`.
    public static let spellings = allCases.map(\.rawValue).joined(separator: " or ")
}

extension NodeIdentity {
    /// Signs messages in `mode`, in order: each alone, or in batches of at most `batchMaximum` (and at most
    /// ``BatchSignature/maximumBatchSize``).
    public func seal(
        _ messages: [(header: Header, body: [UInt8])],
        mode: SignatureMode,
        batchMaximum: Int = Int(BatchSignature.maximumBatchSize)
    ) throws -> [Envelope] {
        switch mode {
        case .perMessage:
            return try messages.map { try seal($0.header, body: $0.body) }
        case .batch:
            var envelopes: [Envelope] = []
            envelopes.reserveCapacity(messages.count)
            for batch in SignatureMode.batches(messages, maximum: batchMaximum) {
                envelopes += try seal(batch: Array(batch))
            }
            return envelopes
        }
    }
}

extension SignatureMode {
    /// `items` in order, in batches of at most `maximum` (and at most ``BatchSignature/maximumBatchSize``).
    static func batches<Item>(_ items: [Item], maximum: Int) -> [ArraySlice<Item>] {
        let size = max(1, min(maximum, Int(BatchSignature.maximumBatchSize)))
        return stride(from: 0, to: items.count, by: size).map { items[$0..<min($0 + size, items.count)] }
    }
}
