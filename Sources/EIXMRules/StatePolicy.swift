import EIXMModel

/// What a Member State or Schengen associated country has notified or decided, as far as the rules read it.
public struct StatePolicy: Hashable, Sendable {
    /// The languages its SPOC accepts (EN always among them).
    public let languages: [LanguageCode]
    /// Whether its competent authorities may contact Europol directly (ER Art 7(5); CH-13).
    public let allowsDirectEuropolContact: Bool
    /// Whether its ENU said it needs no copy of direct exchanges with Europol (CH-14).
    public let enuOptedOutOfCopies: Bool
    /// The node acting as its ENU: by default its SPOC, which includes the ENU.
    public let enu: NodeID
    /// Whether its SPOC counts as a competent authority for judicial cooperation (EJ-01).
    public let spocHasJudicialCompetence: Bool

    public init(
        languages: [LanguageCode],
        allowsDirectEuropolContact: Bool,
        enuOptedOutOfCopies: Bool,
        enu: NodeID,
        spocHasJudicialCompetence: Bool
    ) {
        self.languages = languages.contains(.english) ? languages : languages + [.english]
        self.allowsDirectEuropolContact = allowsDirectEuropolContact
        self.enuOptedOutOfCopies = enuOptedOutOfCopies
        self.enu = enu
        self.spocHasJudicialCompetence = spocHasJudicialCompetence
    }
}
