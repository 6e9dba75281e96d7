/// The exceptions under which a Directive exchange may leave SIENA (Dir 2023/977 Art 13(2)).
public enum SienaException: String, WireEnum {
    case thirdPartyInvolved = "THIRD_PARTY_INVOLVED"
    case urgentTemporary = "URGENT_TEMPORARY"
    case sienaIncident = "SIENA_INCIDENT"

    public static let wire = WireTable<Self>()
}
