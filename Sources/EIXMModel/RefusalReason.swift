/// The grounds on which a request may be refused (Dir 2023/977 Art 6(1); rules RF-a to RF-h).
public enum RefusalReason: String, WireEnum {
    case notAvailable = "NOT_AVAILABLE"
    case invalidRequest = "INVALID_REQUEST"
    case judicialAuthRefused = "JUDICIAL_AUTH_REFUSED"
    case pdCategory = "PD_CATEGORY"
    case dataQuality = "DATA_QUALITY"
    case natSec = "NAT_SEC"
    case investigation = "INVESTIGATION"
    case safety = "SAFETY"
    case legalPerson = "LEGAL_PERSON"
    case lowPenalty = "LOW_PENALTY"
    case notAnOffence = "NOT_AN_OFFENCE"
    case noOriginatorConsent = "NO_ORIGINATOR_CONSENT"

    public static let wire = WireTable<Self>()
}
