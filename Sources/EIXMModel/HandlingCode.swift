/// A SIENA handling code (EIXM-RULES.md §4.1).
public enum HandlingCode: String, WireEnum {
    /// Use only to prevent and combat crime.
    case h0 = "H0"
    /// Not to be disclosed in judicial proceedings without the provider's permission.
    case h1 = "H1"
    /// Not to be disseminated without the provider's permission.
    case h2 = "H2"
    /// Other restrictions, given in free text (`h3_text`).
    case h3 = "H3"

    public static let wire = WireTable<Self>()
}
