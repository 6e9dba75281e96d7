/// A joint-investigation-team event that must be notified to Eurojust (EJ Art 21(4); rule EJ-03).
public enum JITEvent: String, WireEnum {
    case jitSetUp = "JIT_SET_UP"
    case jitResults = "JIT_RESULTS"

    public static let wire = WireTable<Self>()
}
