/// What a Prüm message carries (rules CH-10 to CH-12).
public enum PayloadType: String, WireEnum {
    case dnaProfile = "DNA_PROFILE"
    case dactyloscopic = "DACTYLOSCOPIC"
    case vrd = "VRD"
    case facialImage = "FACIAL_IMAGE"
    case policeRecord = "POLICE_RECORD"
    case narrative = "NARRATIVE"

    public static let wire = WireTable<Self>()
}
