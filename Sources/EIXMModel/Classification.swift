/// The EU classification level of a message (EIXM-RULES.md §4.3), lowest first.
public enum Classification: String, WireEnum {
    case unclassified = "UNCLASSIFIED"
    case euRestricted = "EU_RESTRICTED"
    case euConfidential = "EU_CONFIDENTIAL"
    case euSecret = "EU_SECRET"
    case euTopSecret = "EU_TOP_SECRET"

    public static let wire = WireTable<Self>()
}
