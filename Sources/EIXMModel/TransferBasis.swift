/// The basis for a transfer of personal data by Europol to a third country (ER Art 25(1); rule EU-07).
public enum TransferBasis: String, WireEnum {
    case adequacyDecision = "ADEQUACY_DECISION"
    case euAgreementArt218 = "EU_AGREEMENT_ART218"
    case coopAgreementBefore20170501 = "COOP_AGREEMENT_BEFORE_2017_05_01"
    case art25Derogation = "ART25_DEROGATION"

    public static let wire = WireTable<Self>()
}
