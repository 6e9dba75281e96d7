import EIXMModel

// Handling and evaluation codes: HC-02 to HC-06, EV-01 (EIXM-RULES.md §6). A forward is judged by the codes of
// the message whose information it passes on as well as its own.

extension Judgement {
    mutating func checkHandlingCodes(_ header: Header) {
        let own = header.handlingCodes
        let inherited = source?.header.handlingCodes ?? HandlingCodes()
        if own.contains(.h0) || inherited.contains(.h0), let purpose = header.purpose {
            switch purpose {
            case .crimePrevention, .crimeInvestigation, .criminalIntelligence: break
            default: violate(.hc02, "H0 material may be used only to prevent and combat crime, not for \(purpose)")
            }
        }
        if let source, !hasProviderPermission(header) {
            if inherited.contains(.h1), header.purpose == .evidence || recipients.contains(where: \.isJudicial) {
                violate(
                    .hc03,
                    "H1 material goes to judicial bodies or serves as evidence only with the provider's permission"
                )
            }
            if inherited.contains(.h2) {
                let original = source.header
                // Back to the provider's own state needs no permission: H2 protects its information from others.
                let providerState = tables.configuration.directory.profile(original.sender)?.state
                let outside = header.recipients.filter { recipient in
                    recipient != original.sender && !original.to.contains(recipient) && !original.cc.contains(recipient)
                        && (providerState == nil
                            || tables.configuration.directory.profile(recipient)?.state != providerState)
                }
                if let first = outside.first {
                    violate(
                        .hc04,
                        "H2 material passed to \(first), who was not an original addressee, without the provider's permission"
                    )
                }
            }
        }
        checkRestrictionText(header, own: own, inherited: inherited)
        if header.purpose == .evidence, header.evidenceConsent != true,
            isDirective || source?.header.legalBasis == .dir2023977
        {
            violate(
                .hc06,
                "information exchanged under Dir 2023/977 is used as evidence only with the provider's consent (evidence_consent)"
            )
        }
        if let evaluation = header.evaluation, !evaluation.isValid {
            violate(
                .ev01,
                "evaluation \(evaluation) is outside A, B, C, X for the source and 1 to 4 for the information"
            )
        }
    }

    /// HC-05: H3 text travels with the message; forwarding H3 material needs manual review.
    private mutating func checkRestrictionText(_ header: Header, own: HandlingCodes, inherited: HandlingCodes) {
        if own.contains(.h3), header.h3Text == nil {
            violate(.hc05, "H3 needs its restriction text (h3_text)")
        }
        if inherited.contains(.h3) {
            if header.h3Text != source?.header.h3Text {
                violate(.hc05, "a forward of H3 material must carry the original restriction text unchanged")
            } else {
                oblige(
                    Obligation(.manualReview, rule: .hc05, note: "H3 restriction: review before onward transmission"),
                    "forwarding H3 material needs manual review"
                )
            }
        } else if own.contains(.h3), header.h3Text != nil {
            oblige(
                Obligation(.manualReview, rule: .hc05, note: "H3 restriction: review before any forward"),
                "H3 material: recipients review before any forward"
            )
        }
    }
}
