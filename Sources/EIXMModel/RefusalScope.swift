/// How much of a request a refusal, or the ground it cites, covers (Dir 2023/977 Art 6; rule RF-x).
public enum RefusalScope: String, WireEnum {
    case full = "FULL"
    case partial = "PARTIAL"

    public static let wire = WireTable<Self>()
}
