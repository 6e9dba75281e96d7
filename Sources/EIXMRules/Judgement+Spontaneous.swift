import EIXMModel

// Own-initiative information, languages and personal data: SP-01, SP-02, LG-01, LG-02, PD-01 (EIXM-RULES.md §6).

extension Judgement {
    mutating func checkSpontaneousAndLanguage(_ header: Header) {
        checkSpontaneousProvision(header)
        switch header.messageType {
        case .request: checkNotifiedLanguage(header, .lg01)
        case .spontaneous: checkNotifiedLanguage(header, .sp02)
        case .reply:
            if let answered, answered.header.messageType == .request, let asked = answered.header.language,
                header.language != asked
            {
                violate(
                    .lg02,
                    "a reply is in the language of the request (\(asked)), not \(header.language?.rawValue ?? "unstated")"
                )
            }
        default:
            break
        }
        if header.containsPersonalData {
            if header.dataSubjectCategories.isEmpty {
                violate(.pd01, "personal data must name its data-subject categories (ER Annex II(B))")
            } else if header.dataSubjectCategories.contains(.other) {
                violate(.pd01, "personal data on people outside the ER Annex II(B) categories")
            }
        }
    }

    /// SP-01: information on a serious offence that concerns a state not among the addressees is owed to that
    /// state's SPOC on the sender's own initiative, unless the information came from that state.
    private mutating func checkSpontaneousProvision(_ header: Header) {
        guard isDirective, isSerious, let sender, sender.isMemberStateLawEnforcement else { return }
        // Not owed to the state the information came from (it has it), nor, in a refusal, to the state whose
        // consent is missing (originator_ms either way).
        let origins = originStates(header)
        for state in header.affectedStates where state != sender.state && !origins.contains(state) {
            guard !recipients.contains(where: { $0.state == state }),
                let spoc = tables.configuration.directory.spocProfile(of: state)?.id, header.sender != spoc
            else { continue }
            oblige(
                Obligation(.provideSpontaneously, rule: .sp01, to: spoc),
                "information on a serious offence concerning another Member State is provided to it on the sender's own initiative"
            )
        }
    }

    /// LG-01, SP-02: a request or spontaneous information to a SPOC in one of its notified languages.
    private mutating func checkNotifiedLanguage(_ header: Header, _ rule: RuleID) {
        for recipient in foreignRecipients where recipient.kind == .spoc {
            guard let language = header.language else {
                violate(
                    rule,
                    "no language given; \(recipient.id) accepts \(recipient.languages.map(\.rawValue).joined(separator: ", "))"
                )
                return
            }
            if !recipient.languages.contains(language) {
                violate(
                    rule,
                    "\(recipient.id) has not notified \(language); it accepts \(recipient.languages.map(\.rawValue).joined(separator: ", "))"
                )
            }
        }
    }
}
