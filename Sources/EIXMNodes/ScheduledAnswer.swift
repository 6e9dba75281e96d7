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

    /// Its number in the node's journal, so that sending it can be recorded.
    let number: Int
    let kind: Kind
    /// The message answered.
    let to: Header
    let at: Timestamp
}
