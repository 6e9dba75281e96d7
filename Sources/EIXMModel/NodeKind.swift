/// The kind of a node (EIXM-RULES.md §2). The kind decides which rules apply to what a node sends and receives.
public enum NodeKind: String, WireEnum {
    case spoc = "SPOC"
    case enu = "ENU"
    case sirene = "SIRENE"
    case interpolNcb = "INTERPOL_NCB"
    case competentLea = "COMPETENT_LEA"
    case designatedLea = "DESIGNATED_LEA"
    case pccc = "PCCC"
    case liaisonOfficer = "LIAISON_OFFICER"
    case prumNcp = "PRUM_NCP"
    case judicialAuthority = "JUDICIAL_AUTHORITY"
    case europol = "EUROPOL"
    case eurojust = "EUROJUST"
    case frontex = "FRONTEX"
    case thirdCountryAuthority = "THIRD_COUNTRY_AUTHORITY"
    case intlOrg = "INTL_ORG"
    case nationalSecurityAgency = "NATIONAL_SECURITY_AGENCY"
    case cisa47LiaisonOfficer = "CISA47_LIAISON_OFFICER"

    public static let wire = WireTable<Self>()
}
