/// Why a direct exchange does not copy the SPOC (Dir 2023/977 Art 4(2), Art 8(3); rules CH-04, CH-05).
public enum NoCopyReason: String, WireEnum {
    case highlySensitiveInvestigation = "HIGHLY_SENSITIVE_INVESTIGATION"
    case terrorismNonEmergency = "TERRORISM_NON_EMERGENCY"
    case safetyOfPerson = "SAFETY_OF_PERSON"

    public static let wire = WireTable<Self>()
}
