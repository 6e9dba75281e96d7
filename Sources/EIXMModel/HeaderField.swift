/// The fields of a header, with their wire tags and JSON names.
///
/// The tag is the field's one-byte key in the canonical encoding; fields appear in ascending tag order. Tags are
/// never reused: a new field gets the next free tag.
public enum HeaderField: UInt8, CaseIterable, Sendable, CodingKey {
    case id = 1
    case caseID = 2
    case inReplyTo = 3
    case sender = 4
    case to = 5
    case cc = 6
    case channel = 7
    case messageType = 8
    case legalBasis = 9
    case urgency = 10
    case urgencyReason = 11
    case accessibility = 12
    case crimeAreas = 13
    case affectedStates = 14
    case purpose = 15
    case language = 16
    case handlingCodes = 17
    case h3Text = 18
    case evaluation = 19
    case classification = 20
    case containsPersonalData = 21
    case dataSubjectCategories = 22
    case originatorState = 23
    case originatorConsent = 24
    case sienaException = 25
    case sisAlertID = 26
    case prumHitRef = 27
    case assistanceRequested = 28
    case strictNecessityAssessmentID = 29
    case refusalReason = 30
    case createdAt = 31
    case payloadType = 32
    case noCopyReason = 33
    case copyToEuropol = 34
    case copyToEuropolReason = 35
    case providerPermissionTokens = 36
    case evidenceConsent = 37
    case judicialAuthorisationRequired = 38
    case transferBasis = 39
    case collectionContext = 40
    case jitEvent = 41
    case refusalScope = 42
    case refusalGroundScope = 43
    case forwardedFrom = 44

    /// The JSON name (DESIGN.md §4), also used to name the field in errors.
    public var name: String {
        switch self {
        case .id: "id"
        case .caseID: "case_id"
        case .inReplyTo: "in_reply_to"
        case .sender: "sender"
        case .to: "to"
        case .cc: "cc"
        case .channel: "channel"
        case .messageType: "msg_type"
        case .legalBasis: "legal_basis"
        case .urgency: "urgency"
        case .urgencyReason: "urgency_reason"
        case .accessibility: "accessibility"
        case .crimeAreas: "crime_areas"
        case .affectedStates: "affected_ms"
        case .purpose: "purpose"
        case .language: "language"
        case .handlingCodes: "handling_codes"
        case .h3Text: "h3_text"
        case .evaluation: "evaluation"
        case .classification: "classification"
        case .containsPersonalData: "contains_personal_data"
        case .dataSubjectCategories: "data_subject_categories"
        case .originatorState: "originator_ms"
        case .originatorConsent: "originator_consent"
        case .sienaException: "siena_exception"
        case .sisAlertID: "sis_alert_id"
        case .prumHitRef: "prum_hit_ref"
        case .assistanceRequested: "assistance_requested"
        case .strictNecessityAssessmentID: "strict_necessity_assessment_id"
        case .refusalReason: "refusal_reason"
        case .createdAt: "created_at"
        case .payloadType: "payload_type"
        case .noCopyReason: "no_copy_reason"
        case .copyToEuropol: "copy_to_europol"
        case .copyToEuropolReason: "copy_to_europol_reason"
        case .providerPermissionTokens: "provider_permission_tokens"
        case .evidenceConsent: "evidence_consent"
        case .judicialAuthorisationRequired: "judicial_authorisation_required"
        case .transferBasis: "transfer_basis"
        case .collectionContext: "collection_context"
        case .jitEvent: "jit_event"
        case .refusalScope: "refusal_scope"
        case .refusalGroundScope: "refusal_ground_scope"
        case .forwardedFrom: "forwarded_from"
        }
    }

    /// The fields every header must have.
    public static let required: [HeaderField] = [.id, .sender, .to, .channel, .messageType, .legalBasis, .createdAt]

    private static let byName: [String: HeaderField] = Dictionary(
        uniqueKeysWithValues: allCases.map { ($0.name, $0) }
    )

    public var stringValue: String { name }
    public var intValue: Int? { nil }
    public init?(stringValue: String) {
        guard let field = Self.byName[stringValue] else { return nil }
        self = field
    }
    public init?(intValue: Int) { nil }
}
