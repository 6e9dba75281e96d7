import EIXMModel
import Foundation

/// One routing event for the audit log: what happened to which message, when (real and simulated time), and why.
/// It holds the digests of header and body, never the body itself.
public struct AuditEvent: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        /// A message's arrival, before its decision: written by logs of earlier versions only. The router now records
        /// an arrival in its decision (`accepted`, `rejected` or `duplicate`, with the digests).
        case received
        case accepted
        case rejected
        case queued
        case delivered
        case acknowledged
        case nacked
        case deadlineMet = "deadline_met"
        case deadlineBreached = "deadline_breached"
        case connectionRefused = "connection_refused"
        /// A message received again (a resend after a reconnect) and answered as before, not routed again.
        case duplicate
        /// The router rebuilt its state from its spool after a restart: what it found is in `reasons`.
        case restored
        /// A commit could not be stored (full disk, I/O error): nothing in it was promised. With a message ID: an
        /// acceptance the audit log stored and the spool had not before a crash; the message was neither answered nor
        /// delivered.
        case storageFailed = "storage_failed"
        /// A recipient's receipt was refused (its signature or its digests do not match the delivery): the delivery
        /// is not acknowledged and is delivered again.
        case receiptRefused = "receipt_refused"
    }

    public var kind: Kind
    public let realTime: Timestamp
    public let simulatedTime: Timestamp
    public var messageID: UUID?
    public var caseID: String?
    /// The message this one answers (a reply, refusal, clarification or delay notice), so that an auditor can pair
    /// requests with their answers.
    public var inReplyTo: UUID?
    public var sender: NodeID?
    public var recipients: [NodeID] = []
    public var channel: Channel?
    public var messageType: MessageType?
    public var handlingCodes: HandlingCodes = HandlingCodes()
    public var containsPersonalData = false
    /// Rule IDs (or router checks such as AUTH, SIGNATURE, REPLAY) behind the event.
    public var rules: [String] = []
    public var reasons: [String] = []
    /// SHA-256 of the canonical header, hex.
    public var headerDigest: String?
    /// SHA-256 of the body, hex.
    public var bodyDigest: String?
    /// For refused connections and impersonation: the identity claimed and the one certified.
    public var claimed: NodeID?
    public var certified: NodeID?
    /// For certificates refused at the TLS handshake: the certificate's SHA-256 fingerprint (hex) and the address
    /// it came from.
    public var certificateFingerprint: String?
    public var peerAddress: String?
    /// For deliveries and deadlines: the node concerned (recipient, or the requested node).
    public var node: NodeID?
    /// For `acknowledged`: the recipient's signed receipt (its digests are also the record's header and body digests).
    public var receipt: DeliveryReceipt?

    /// The same event data under another kind: the events of one message share everything else.
    public func with(_ kind: Kind) -> AuditEvent {
        var copy = self
        copy.kind = kind
        return copy
    }

    public init(kind: Kind, realTime: Timestamp, simulatedTime: Timestamp) {
        self.kind = kind
        self.realTime = realTime
        self.simulatedTime = simulatedTime
    }
}

/// Where the router writes its audit events. The file log (hash chain, signed checkpoints) implements it; tests use
/// ``InMemoryAuditLog``. Appending never blocks the router's hot path.
public protocol AuditSink: Sendable {
    func append(_ events: [AuditEvent])
    /// Calls `done` once every event appended before this call is stored (for the file log: written and synced as
    /// its fsync policy says), or could not be. Called on the sink's own thread; never blocks the caller.
    func whenStored(_ done: @escaping @Sendable (StorageOutcome) -> Void)
}

extension AuditSink {
    /// A sink held in memory stores what it is given at once.
    public func whenStored(_ done: @escaping @Sendable (StorageOutcome) -> Void) { done(.stored) }
}
