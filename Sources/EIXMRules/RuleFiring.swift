/// One rule that fired on a message: which, with what effect, and why.
public struct RuleFiring: Hashable, Sendable {
    /// What the firing does to the message.
    public enum Effect: String, Hashable, Sendable {
        /// The message breaks the rule and is rejected.
        case violation
        /// The message is accepted and the rule creates a duty (see the decision's obligations).
        case obligation
        /// The message is accepted; the rule applied and is noted (e.g. a refusal on a valid ground, or a
        /// recommendation under a transitional mode).
        case note
    }

    public let rule: RuleID
    public let effect: Effect
    /// A human explanation of this firing.
    public let reason: String

    public init(_ rule: RuleID, _ effect: Effect, _ reason: String) {
        self.rule = rule
        self.effect = effect
        self.reason = reason
    }

    /// The legal source of the rule.
    public var source: String { rule.source }
}
