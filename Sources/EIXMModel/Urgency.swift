/// Whether a request is urgent (Dir 2023/977 Art 4(4)).
public enum Urgency: String, WireEnum {
    case urgent = "URGENT"
    case nonUrgent = "NON_URGENT"

    public static let wire = WireTable<Self>()
}
