import EIXMModel

// Europol's mandate, the Europol copy and onward transfer: EU-01 to EU-04, EU-06, EU-07 (EIXM-RULES.md §6).

extension Judgement {
    mutating func checkEuropol(_ header: Header) {
        if addresses(header, .europol), !inMandate {
            violate(
                .eu01,
                "Europol may receive only what falls within its mandate (a mandate crime area affecting two or more states)"
            )
        }
        checkEuropolCopy(header)
        if lacksOriginatorConsent(header),
            header.messageType == .copy || addresses(header, .europol) || copies(to: .europol)
        {
            violate(
                .eu04,
                "the information comes from \(header.originatorState!) and goes to Europol without its consent"
            )
        }
        checkPurpose(header)
        if header.sender == .europol, header.containsPersonalData, header.transferBasis == nil,
            recipients.contains(where: \.isThirdParty)
        {
            violate(
                .eu07,
                "Europol transfers personal data to a third country only on an Art 25 basis (transfer_basis)"
            )
        }
    }

    /// EU-02 (Directive) and EU-03 (legacy): the Europol copy.
    private mutating func checkEuropolCopy(_ header: Header) {
        guard inMandate, let sender, sender.isMemberStateLawEnforcement else { return }
        switch header.messageType {
        case .request, .reply, .spontaneous: break
        default: return
        }
        if tables.configuration.mode == .sfdLegacy {
            guard isDirective || header.legalBasis == .sfd2006960 else { return }
            if !addresses(header, .europol) {
                oblige(
                    Obligation(.copy, rule: .eu03, to: .europol),
                    "within Europol's mandate the Framework Decision requires a copy to Europol"
                )
            }
            return
        }
        guard isDirective else { return }
        if addresses(header, .europol) {
            note(.eu02, "Europol is an addressee")
            return
        }
        switch header.copyToEuropol {
        case nil:
            violate(
                .eu02,
                "within Europol's mandate the sender must record its case-by-case decision on copying Europol (copy_to_europol)"
            )
        case false?:
            if header.copyToEuropolReason == nil {
                violate(.eu02, "a decision not to copy Europol needs its reason (copy_to_europol_reason)")
            } else {
                note(.eu02, "case-by-case decision not to copy Europol, with reason")
            }
        case true?:
            oblige(
                Obligation(.copy, rule: .eu02, to: .europol, note: "over SIENA"),
                "the sender decided to copy Europol (Art 12); the copy goes over SIENA"
            )
        }
    }

    /// EU-06: no re-use for another purpose without the provider's consent.
    private mutating func checkPurpose(_ header: Header) {
        guard let source, let original = source.header.purpose, let purpose = header.purpose, purpose != original,
            !hasProviderPermission(header)
        else { return }
        violate(
            .eu06,
            "information provided for \(original) is passed on for \(purpose) without the provider's consent"
        )
    }
}
