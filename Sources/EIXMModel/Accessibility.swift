/// Whether requested information is directly or indirectly available (Dir 2023/977 Art 2(6)).
public enum Accessibility: String, WireEnum {
    case direct = "DIRECT"
    case indirect = "INDIRECT"

    public static let wire = WireTable<Self>()
}
