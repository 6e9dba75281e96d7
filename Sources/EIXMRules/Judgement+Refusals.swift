import EIXMModel

// Refusals: RF-a to RF-h (one rule with a reason enumeration) and RF-x (EIXM-RULES.md §6; Dir 2023/977 Art 6).

extension Judgement {
    mutating func checkRefusals(_ header: Header) {
        if header.messageType == .refusal {
            guard let reason = header.refusalReason else {
                violate(.rfX, "a refusal gives one of the grounds RF-a to RF-h (refusal_reason)")
                return
            }
            if header.refusalScope == .full, header.refusalGroundScope == .partial {
                violate(.rfX, "the ground \(reason) covers part of the request only: refuse that part, not the whole")
                return
            }
            let rule = Self.rule(for: reason)
            note(
                rule,
                "refusal on the ground \(reason)" + (rule == .rfB ? ", preferably after a clarification request" : "")
            )
        }
        if isDirective, header.messageType == .reply || header.messageType == .spontaneous,
            lacksOriginatorConsent(header),
            let origin = header.originatorState, !goesOnlyBack(to: origin)
        {
            // Giving the information back to the state it came from needs no consent.
            violate(.rfH, "information obtained from \(origin) may not be provided without its consent")
        }
    }

    /// The RF rule of a refusal ground.
    static func rule(for reason: RefusalReason) -> RuleID {
        switch reason {
        case .notAvailable: .rfA
        case .invalidRequest: .rfB
        case .judicialAuthRefused: .rfC
        case .pdCategory: .rfD
        case .dataQuality: .rfE
        case .natSec, .investigation, .safety, .legalPerson: .rfF
        case .lowPenalty, .notAnOffence: .rfG
        case .noOriginatorConsent: .rfH
        }
    }
}
