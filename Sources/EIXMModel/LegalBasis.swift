/// The instrument a message is exchanged under (EIXM-RULES.md §4.4).
public enum LegalBasis: String, WireEnum {
    case dir2023977 = "DIR_2023_977"
    case sfd2006960 = "SFD_2006_960"
    case prum = "PRUM"
    case prumII = "PRUM_II"
    case sis = "SIS"
    case er2016794 = "ER_2016_794"
    case ej20181727 = "EJ_2018_1727"
    case ebcg20191896 = "EBCG_2019_1896"
    case national = "NATIONAL"

    public static let wire = WireTable<Self>()
}
