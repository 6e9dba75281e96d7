/// Which law the router applies (EIXM-RULES.md §7.4).
public enum PolicyMode: String, CaseIterable, Sendable, Hashable {
    /// Framework Decision 2006/960: 8 h / 7 d / 14 d deadlines, a mandatory Europol copy (EU-03), any channel.
    case sfdLegacy = "SFD_LEGACY"
    /// Directive 2023/977 before 12 June 2027: SIENA preferred, not mandatory (CH-01 only notes).
    case directiveTransitional = "DIR_2023_977_TRANSITIONAL"
    /// Directive 2023/977 in full: SIENA mandatory (CH-01 rejects).
    case directiveFull = "DIR_2023_977_FULL"
}
