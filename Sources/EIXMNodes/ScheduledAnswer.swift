import EIXMModel

/// An answer a node will send when its simulated time comes.
struct ScheduledAnswer: Sendable {
    enum Kind: Sendable {
        case reply
        case refusal(RefusalReason)
        case clarificationRequest
        case clarification
        case delayNotice
        case hitNotification(to: NodeID)
    }

    let kind: Kind
    /// The message answered.
    let to: Header
    let at: Timestamp
}
