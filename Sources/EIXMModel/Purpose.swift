/// The purpose information is exchanged for, or the use a recipient intends (ER Art 19(1); handling code H0).
public enum Purpose: String, WireEnum {
    case crimePrevention = "CRIME_PREVENTION"
    case crimeInvestigation = "CRIME_INVESTIGATION"
    case criminalIntelligence = "CRIMINAL_INTELLIGENCE"
    case evidence = "EVIDENCE"
    case administrative = "ADMINISTRATIVE"
    case immigrationDecision = "IMMIGRATION_DECISION"
    case riskAnalysis = "RISK_ANALYSIS"
    case judicialCoordination = "JUDICIAL_COORDINATION"

    public static let wire = WireTable<Self>()
}
