import EIXMModel

// Frontex and personal data: PD-03 to PD-06 (EIXM-RULES.md §6; Reg 2019/1896 Arts 90-91).

extension Judgement {
    mutating func checkFrontex(_ header: Header) {
        if header.sender == .frontex, header.containsPersonalData {
            checkFrontexRecipients(header)
        }
        if header.containsPersonalData, header.sender == .frontex || addresses(header, .frontex) {
            let retention = tables.configuration.retention
            if header.collectionContext == .crossBorderCrime {
                oblige(
                    Obligation(
                        .retention,
                        rule: .pd06,
                        to: .frontex,
                        seconds: retention.frontexArt90FirstReview,
                        note:
                            "Art 90 data: review within \(DurationText.text(seconds: retention.frontexArt90FirstReview)), then every \(DurationText.text(seconds: retention.frontexArt90ReviewInterval)); delete once the purpose is achieved"
                    ),
                    "Frontex reviews Art 90 operational personal data periodically"
                )
            } else {
                oblige(
                    Obligation(
                        .retention,
                        rule: .pd06,
                        to: .frontex,
                        seconds: retention.frontexOtherPersonalData,
                        note:
                            "delete once transmitted or used, at the latest after \(DurationText.text(seconds: retention.frontexOtherPersonalData))"
                    ),
                    "Frontex keeps other personal data for a limited time"
                )
            }
        }
    }

    private mutating func checkFrontexRecipients(_ header: Header) {
        if addresses(header, .europol) || addresses(header, .eurojust) {
            var missing: [String] = []
            if header.collectionContext != .crossBorderCrime {
                missing.append("collected under Art 10(1)(q) on cross-border crime (collection_context)")
            }
            let categories = header.dataSubjectCategories
            let allowed =
                !categories.isEmpty
                && categories.allSatisfy { $0 == .suspect || $0 == .victim || $0 == .witness }
                && (categories.contains(.suspect) || !categories.contains { $0 == .victim || $0 == .witness })
            if !allowed {
                missing.append(
                    "about suspects, or victims and witnesses complementing a suspect (data_subject_categories)"
                )
            }
            if header.strictNecessityAssessmentID == nil {
                missing.append("a case-by-case strict-necessity assessment (strict_necessity_assessment_id)")
            }
            if !missing.isEmpty {
                violate(.pd03, "Frontex personal data to Europol or Eurojust needs: " + missing.joined(separator: "; "))
            }
        }
        if recipients.contains(where: \.isMemberStateLawEnforcement),
            header.strictNecessityAssessmentID == nil || !isSerious
        {
            violate(
                .pd04,
                "Frontex gives personal data to a Member State authority only when strictly necessary against serious cross-border crime"
            )
        }
        if let other = recipients.first(where: {
            !$0.isMemberStateLawEnforcement && $0.kind != .europol && $0.kind != .eurojust
        }) {
            violate(
                .pd05,
                "Frontex may give operational personal data only to Europol, Eurojust and Member State authorities, not to \(other.id)"
            )
        }
    }
}
