/// The task under which Frontex collected personal data (Reg 2019/1896 Art 10(1)(q), Art 90; rule PD-03).
public enum CollectionContext: String, WireEnum {
    case crossBorderCrime = "ART10_1_Q_CROSS_BORDER_CRIME"
    case riskAnalysis = "RISK_ANALYSIS"
    case `return` = "RETURN"
    case borderCheck = "BORDER_CHECK"
    case other = "OTHER"

    public static let wire = WireTable<Self>()
}
