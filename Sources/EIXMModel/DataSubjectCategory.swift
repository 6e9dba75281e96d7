/// The categories of people personal data is about (ER Annex II(B); Reg 2019/1896 Art 90).
public enum DataSubjectCategory: String, WireEnum {
    case suspect = "SUSPECT"
    case convicted = "CONVICTED"
    case potentialOffender = "POTENTIAL_OFFENDER"
    case contactOrAssociate = "CONTACT_OR_ASSOCIATE"
    case victim = "VICTIM"
    case witness = "WITNESS"
    case informant = "INFORMANT"
    case other = "OTHER"

    public static let wire = WireTable<Self>()
}
