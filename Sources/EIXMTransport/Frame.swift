import EIXMModel
import Foundation

/// What travels on a connection between a node and the router. Every frame is length-prefixed on the wire
/// (`Frame+Wire.swift`); the router forwards envelopes as the exact bytes the sender signed.
public enum Frame: Hashable, Sendable {
    /// Node -> router, first frame: who the node says it is (must match its certificate).
    case hello(node: NodeID)
    /// Router -> node, answer to HELLO: the connection is live.
    case welcome(Welcome)
    /// Node -> router: a signed envelope to route.
    case message(envelope: [UInt8])
    /// Router -> node: a signed envelope addressed (or copied) to the node.
    case delivery(Delivery)
    /// Router -> sender: the message was accepted.
    case ack(Acknowledgement)
    /// Node -> router, answer to a DELIVERY: the recipient's signed receipt (it received the message and acted on it).
    case receipt(DeliveryReceipt)
    /// Router -> sender: the message was refused, with the rules and reasons.
    case nack(Refusal)
    /// Either way: the sender is alive.
    case heartbeat
    /// Either way: the connection ends, with a reason.
    case goodbye(reason: String)

    public struct Welcome: Hashable, Sendable {
        public let router: NodeID
        /// The router's simulated time when it welcomed the node.
        public let simulatedTime: Timestamp
        /// How often the node should send a heartbeat, in milliseconds.
        public let heartbeatMilliseconds: UInt32
        /// How many times faster than real time the router's simulated time runs: with `simulatedTime`, what a
        /// client needs to follow the router's clock.
        public let timeScale: Double

        public init(router: NodeID, simulatedTime: Timestamp, heartbeatMilliseconds: UInt32, timeScale: Double = 1) {
            self.router = router
            self.simulatedTime = simulatedTime
            self.heartbeatMilliseconds = heartbeatMilliseconds
            self.timeScale = timeScale
        }
    }

    public struct Delivery: Hashable, Sendable {
        /// The envelope as the sender signed it.
        public let envelope: [UInt8]
        /// When the node is a copy recipient by a rule's duty (e.g. EU-02), that rule's ID.
        public let copyRule: String?
        /// For a request: when the answer is due (simulated time).
        public let deadline: Timestamp?

        public init(envelope: [UInt8], copyRule: String? = nil, deadline: Timestamp? = nil) {
            self.envelope = envelope
            self.copyRule = copyRule
            self.deadline = deadline
        }
    }

    public struct Acknowledgement: Hashable, Sendable {
        public enum Kind: UInt8, Hashable, Sendable {
            /// The router accepted the message for delivery. (Kind 2, a delivery acknowledged without a receipt, is
            /// no longer read: a recipient answers with ``Frame/receipt(_:)``.)
            case accepted = 1
        }

        public let message: UUID
        public let kind: Kind

        public init(message: UUID, kind: Kind) {
            self.message = message
            self.kind = kind
        }
    }

    public struct Refusal: Hashable, Sendable {
        public struct Reason: Hashable, Sendable {
            /// A rule ID (CH-01, ...) or a router check (`AUTH`, `SIGNATURE`, `REPLAY`, `DUPLICATE`, `QUEUE_FULL`,
            /// `UNKNOWN_NODE`, `MALFORMED`).
            public let rule: String
            public let text: String

            public init(rule: String, text: String) {
                self.rule = rule
                self.text = text
            }
        }

        /// The refused message's ID (all zero when the envelope could not be read).
        public let message: UUID
        public let reasons: [Reason]

        public init(message: UUID, reasons: [Reason]) {
            self.message = message
            self.reasons = reasons
        }
    }

    /// The frame's name, for logs.
    public var name: String {
        switch self {
        case .hello: "HELLO"
        case .welcome: "WELCOME"
        case .message: "MESSAGE"
        case .delivery: "DELIVERY"
        case .ack: "ACK"
        case .receipt: "RECEIPT"
        case .nack: "NACK"
        case .heartbeat: "HEARTBEAT"
        case .goodbye: "GOODBYE"
        }
    }
}
