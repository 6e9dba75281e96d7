import EIXMModel
import Foundation

/// A duty a rule creates for the router, a node or the audit log, returned in the decision for them to carry out.
public struct Obligation: Hashable, Sendable {
    /// The kinds of duty. The raw values are the JSON spellings.
    public enum Kind: String, Hashable, Sendable {
        /// Send a copy of the message to `to`.
        case copy
        /// Answer by `at` (`seconds` after receipt).
        case deadline
        /// Pause the deadline of the request `message` (DL-06).
        case pauseDeadline = "pause_deadline"
        /// Restart the paused deadline of the request `message` (DL-06).
        case resumeDeadline = "resume_deadline"
        /// The deadline of the request `message` may be exceeded while judicial authorisation is sought (DL-05).
        case extendDeadline = "extend_deadline"
        /// The message answers the request `message` from the requested side: its deadline is met or breached now
        /// (DL-07).
        case closeDeadline = "close_deadline"
        /// A person reviews before any onward transmission.
        case manualReview = "manual_review"
        /// Tell `to` (e.g. the national member at Eurojust, or the originating state afterwards).
        case notify
        /// Provide the information to `to` on the sender's own initiative (SP-01).
        case provideSpontaneously = "provide_spontaneously"
        /// Record the exchange in `to`'s log or case-management system.
        case log
        /// Keep the data held by `to` no longer than `seconds` (or review it by then).
        case retention
        /// Record the exchange on SIENA afterwards (CH-02, urgent temporary deviation).
        case recordOnSIENA = "record_on_siena"
        /// Europol carries the message but may not process its content (CH-15).
        case transportOnly = "transport_only"
    }

    public let kind: Kind
    public let rule: RuleID
    /// The node the duty concerns: the copy's addressee, the party to notify, the holder of a log.
    public let to: NodeID?
    /// A duration in seconds: to a deadline, or a retention or review period.
    public let seconds: Int64?
    /// A point in time: the deadline.
    public let at: Timestamp?
    /// Another message the duty concerns: the request whose deadline pauses, resumes or extends.
    public let message: UUID?
    /// A short human note.
    public let note: String?

    public init(
        _ kind: Kind,
        rule: RuleID,
        to: NodeID? = nil,
        seconds: Int64? = nil,
        at: Timestamp? = nil,
        message: UUID? = nil,
        note: String? = nil
    ) {
        self.kind = kind
        self.rule = rule
        self.to = to
        self.seconds = seconds
        self.at = at
        self.message = message
        self.note = note
    }
}
