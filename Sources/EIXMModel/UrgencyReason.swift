/// The four reasons that make a request urgent (Dir 2023/977 Art 4(4); EIXM-RULES.md §4.4).
public enum UrgencyReason: String, WireEnum {
    case imminentSeriousThreatPublicSecurity = "IMMINENT_SERIOUS_THREAT_PUBLIC_SECURITY"
    case imminentThreatLifeOrPhysicalIntegrity = "IMMINENT_THREAT_LIFE_OR_PHYSICAL_INTEGRITY"
    case decisionOnRestrictiveMeasuresUpToDetention = "DECISION_ON_RESTRICTIVE_MEASURES_UP_TO_DETENTION"
    case imminentRiskInfoLosesRelevance = "IMMINENT_RISK_INFO_LOSES_RELEVANCE"

    public static let wire = WireTable<Self>()
}
