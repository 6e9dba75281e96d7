/// How far a rule can be trusted (EIXM-RULES.md §0).
public enum Confidence: String, Sendable, Hashable {
    /// Checked against the provision's text or a reliable summary.
    case verified = "V"
    /// Believed correct, not re-checked against the provision's text.
    case believed = "R"
    /// Uncertain, practice rather than law, or possibly out of date.
    case uncertain = "U"
    /// A modelling choice of the simulator, not a legal rule.
    case simulation = "SIM"
}
