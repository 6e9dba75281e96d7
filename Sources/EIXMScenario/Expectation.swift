import EIXMModel
import EIXMRules

/// What the players are expected to do about a message inject: the router's verdict and the rules behind it, who
/// must receive the message (addressees and the copies the rules require), the answer expected from whom and by when,
/// and follow-ups that must not happen.
public struct Expectation: Sendable, Hashable {
    /// The answer expected to a message.
    public struct Answer: Sendable, Hashable {
        /// By when the answer must come.
        public enum Due: Sendable, Hashable {
            /// Within the deadline the router set for the request (the rules' DL-xx, with pauses and extensions).
            case deadline
            /// Within this many simulated milliseconds of the inject's message reaching the router.
            case within(milliseconds: Int64)
            /// At any time before the exercise ends.
            case anyTime
        }

        public let from: NodeID
        /// Any of these message types answers it (REPLY, REFUSAL, CLARIFICATION_REQUEST, DELAY_NOTICE answer the
        /// message itself; a HIT_NOTIFICATION is matched by the inject's case).
        public let types: [MessageType]
        public let due: Due
        /// For a refusal: the grounds it may rest on (RF-a to RF-h, Dir Art 6(1)); empty: any ground.
        public let grounds: [String]
        public let place: Place

        public init(from: NodeID, types: [MessageType], due: Due, grounds: [String] = [], place: Place = Place()) {
            self.from = from
            self.types = types
            self.due = due
            self.grounds = grounds
            self.place = place
        }
    }

    /// A message that must not be accepted after the inject, in the inject's case (e.g. no onward transmission of
    /// the answer to a third country without consent). A rejected attempt is the router doing its job.
    public struct Forbidden: Sendable, Hashable {
        public let from: NodeID?
        public let to: NodeID?
        public let type: MessageType?
        public let place: Place

        public init(from: NodeID?, to: NodeID?, type: MessageType?, place: Place = Place()) {
            self.from = from
            self.to = to
            self.type = type
            self.place = place
        }

        public var summary: String {
            var words = ["no accepted", type?.rawValue ?? "message"]
            if let from { words.append("from \(from)") }
            if let to { words.append("to \(to)") }
            return words.joined(separator: " ") + " in the case"
        }
    }

    public var verdict: Decision.Verdict?
    public var verdictPlace = Place()
    /// Each must be among the rule IDs of the router's decision.
    public var rules: [String] = []
    public var rulesPlace = Place()
    /// Each must have the message delivered (or, if offline, queued and then delivered).
    public var receivers: [NodeID] = []
    public var receiversPlace = Place()
    public var answer: Answer?
    public var forbidden: [Forbidden] = []

    public init() {}
}
