/// The channel a message travels on (EIXM-RULES.md §3.2).
public enum Channel: String, WireEnum {
    case siena = "SIENA"
    case sirene = "SIRENE"
    case interpol = "INTERPOL"
    case prumAutomated = "PRUM_AUTOMATED"
    case bilateralLo = "BILATERAL_LO"
    case pccc = "PCCC"
    case eurojust = "EUROJUST"
    case judicial = "JUDICIAL"

    public static let wire = WireTable<Self>()
}
