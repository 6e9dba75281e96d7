/// The router's judgement of one message: accept or reject, the rules that fired with their reasons and legal
/// sources, and the duties an accepted message creates. The same input always gives the same decision.
public struct Decision: Hashable, Sendable {
    public enum Verdict: String, Hashable, Sendable {
        case accept
        case reject
    }

    /// Every rule that fired, in the order the engine checks them (EIXM-RULES.md §6 order).
    public let firings: [RuleFiring]
    /// The duties of an accepted message; empty for a rejected one.
    public let obligations: [Obligation]

    public init(firings: [RuleFiring], obligations: [Obligation]) {
        self.firings = firings
        self.obligations = firings.contains { $0.effect == .violation } ? [] : obligations
    }

    /// Rejected when any rule is violated.
    public var verdict: Verdict { firings.contains { $0.effect == .violation } ? .reject : .accept }

    /// The rules that decide the verdict: the violated ones for a rejection, every firing for an acceptance.
    public var decisiveFirings: [RuleFiring] {
        verdict == .reject ? firings.filter { $0.effect == .violation } : firings
    }

    /// The IDs of the decisive rules.
    public var rules: [RuleID] { decisiveFirings.map(\.rule) }
}
