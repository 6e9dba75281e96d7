import EIXMModel

/// What the rules need to know about one node: its kind, its state, its languages and its standing.
///
/// Immutable and shared: the directory hands out references, so that looking a node up on the hot path copies
/// nothing.
public final class NodeProfile: Sendable {
    public let id: NodeID
    public let kind: NodeKind
    /// The Member State or Schengen associated country the node belongs to; `nil` for EU agencies, third
    /// countries and international organisations.
    public let state: MemberState?
    /// For third-country authorities the country (ISO code), for international organisations their name (e.g.
    /// INTERPOL): what Europol's partner list names (CH-09).
    public let country: String?
    /// The languages the node accepts requests and spontaneous information in (always including EN for SPOCs).
    public let languages: [LanguageCode]
    /// Whether Europol has an agreement with this third country or organisation, so that SIENA may reach it.
    public let europolPartner: Bool
    /// Whether the node is a competent national authority for judicial cooperation (EJ-01).
    public let judicialCooperation: Bool

    public init(
        id: NodeID,
        kind: NodeKind,
        state: MemberState? = nil,
        country: String? = nil,
        languages: [LanguageCode] = [],
        europolPartner: Bool = false,
        judicialCooperation: Bool = false
    ) {
        self.id = id
        self.kind = kind
        self.state = state
        self.country = country
        self.languages = languages
        self.europolPartner = europolPartner
        self.judicialCooperation = judicialCooperation
        isMemberStateLawEnforcement = Self.isLawEnforcement(kind: kind, state: state)
        isThirdParty = kind == .thirdCountryAuthority || kind == .intlOrg
        isJudicial = kind == .eurojust || kind == .judicialAuthority
        isCompetentAuthority = kind == .competentLea || kind == .designatedLea || kind == .pccc
    }

    /// Whether the node is a competent law-enforcement authority other than the SPOC (Dir Art 2(1)): a competent LEA,
    /// a designated one (Art 4(1)), or a police and customs cooperation centre, which the Directive counts among
    /// them. Their direct exchanges copy the SPOCs (CH-05) and reach Europol through the ENU (CH-13).
    public let isCompetentAuthority: Bool

    /// Whether the node is a competent law-enforcement authority of a Member State: a SPOC (which includes the
    /// ENU, SIRENE Bureau and Interpol NCB), an ENU, a competent or designated LEA, a PCCC, a Prüm contact point or
    /// a liaison officer.
    public let isMemberStateLawEnforcement: Bool

    /// Whether the node is outside the EU and the Schengen area.
    public let isThirdParty: Bool

    /// Whether the node is judicial: Eurojust or a judicial authority.
    public let isJudicial: Bool

    private static func isLawEnforcement(kind: NodeKind, state: MemberState?) -> Bool {
        guard state != nil else { return false }
        switch kind {
        case .spoc, .enu, .sirene, .interpolNcb, .competentLea, .designatedLea, .pccc, .prumNcp, .liaisonOfficer:
            return true
        default: return false
        }
    }
}
