import Foundation

/// The header of an operational message: everything the router needs to route it, judge it against the EIXM
/// channel rules and audit it, without reading the body.
///
/// Field names in JSON are those of DESIGN.md §4 (snake case); enum spellings are those of EIXM-RULES.md §4.
/// Fields past §4's list carry what the rules of EIXM-RULES.md §6 read (e.g. `payload_type` for CH-10,
/// `no_copy_reason` for CH-04/CH-05, `transfer_basis` for EU-07, `forwarded_from` for HC-04). The wire layout is in `Header+Wire.swift` and
/// documented in README.md ("The canonical encoding").
public struct Header: Hashable, Sendable {
    public var id: UUID
    public var caseID: String?
    public var inReplyTo: UUID?
    public var sender: NodeID
    public var to: [NodeID]
    public var cc: [NodeID]
    public var channel: Channel
    public var messageType: MessageType
    public var legalBasis: LegalBasis
    public var urgency: Urgency?
    public var urgencyReason: UrgencyReason?
    public var accessibility: Accessibility?
    public var crimeAreas: [CrimeArea]
    public var affectedStates: [MemberState]
    public var purpose: Purpose?
    public var language: LanguageCode?
    public var handlingCodes: HandlingCodes
    public var h3Text: String?
    public var evaluation: Evaluation?
    public var classification: Classification?
    public var containsPersonalData: Bool
    public var dataSubjectCategories: [DataSubjectCategory]
    public var originatorState: MemberState?
    public var originatorConsent: Bool?
    public var sienaException: SienaException?
    public var sisAlertID: String?
    public var prumHitRef: String?
    public var assistanceRequested: Bool?
    public var strictNecessityAssessmentID: String?
    public var refusalReason: RefusalReason?
    public var createdAt: Timestamp
    public var payloadType: PayloadType?
    public var noCopyReason: NoCopyReason?
    public var copyToEuropol: Bool?
    public var copyToEuropolReason: String?
    public var providerPermissionTokens: [String]
    public var evidenceConsent: Bool?
    public var judicialAuthorisationRequired: Bool
    public var transferBasis: TransferBasis?
    public var collectionContext: CollectionContext?
    public var jitEvent: JITEvent?
    public var refusalScope: RefusalScope?
    public var refusalGroundScope: RefusalScope?
    /// The message whose information this one passes on to others (a forward), for the rules on onward
    /// transmission (HC-03, HC-04, EU-06).
    public var forwardedFrom: UUID?

    /// A header with the required fields; every optional field is absent and every list empty.
    public init(
        id: UUID,
        sender: NodeID,
        to: [NodeID],
        channel: Channel,
        messageType: MessageType,
        legalBasis: LegalBasis,
        createdAt: Timestamp
    ) {
        self.id = id
        self.sender = sender
        self.to = to
        self.cc = []
        self.channel = channel
        self.messageType = messageType
        self.legalBasis = legalBasis
        self.crimeAreas = []
        self.affectedStates = []
        self.handlingCodes = HandlingCodes()
        self.containsPersonalData = false
        self.dataSubjectCategories = []
        self.createdAt = createdAt
        self.providerPermissionTokens = []
        self.judicialAuthorisationRequired = false
    }

    /// Every addressee: `to` then `cc`.
    public var recipients: [NodeID] { to + cc }
}
