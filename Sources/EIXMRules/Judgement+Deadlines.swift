import EIXMModel
import Foundation

// Deadlines: DL-01 to DL-06, DL-08, DL-09 (EIXM-RULES.md §6; timers start at receipt).

extension Judgement {
    mutating func checkDeadlines(_ header: Header) {
        switch header.messageType {
        case .request: checkRequestDeadline(header)
        case .delayNotice: checkDelayNotice(header)
        case .clarificationRequest: checkClarificationRequest(header)
        case .clarification: checkClarification(header)
        case .reply, .refusal: checkAnswer(header)
        default: break
        }
    }

    /// The request this message refers to (`in_reply_to`), when it is one the context remembers.
    private var answeredRequest: (id: UUID, header: Header)? {
        guard let answered, answered.header.messageType == .request else { return nil }
        return (answered.header.id, answered.header)
    }

    /// Whether `node` was asked `request`: one of its addressees.
    private func wasAsked(_ node: NodeID, _ request: Header) -> Bool {
        request.to.contains(node) || request.cc.contains(node)
    }

    /// DL-07: a reply or refusal from the requested side answers the request and closes its deadline; one from a
    /// node that was not asked answers nothing (Art 5(2)).
    private mutating func checkAnswer(_ header: Header) {
        guard let request = answeredRequest else { return }
        if wasAsked(header.sender, request.header) {
            oblige(
                Obligation(.closeDeadline, rule: .dl07, message: request.id),
                "the requested side answers request \(request.id): its deadline is met or breached now"
            )
        } else {
            note(
                .dl07,
                "\(header.sender) was not asked request \(request.id): its \(header.messageType) neither answers it nor closes its deadline"
            )
        }
    }

    private mutating func checkRequestDeadline(_ header: Header) {
        if header.urgency == .urgent, header.urgencyReason == nil {
            violate(.dl04, "a request is urgent only for one of the four Art 4(4) reasons (urgency_reason)")
        }
        let deadlines = tables.configuration.deadlines
        if header.channel == .sirene {
            setDeadline(.dl08, seconds: deadlines.sirene, "SIRENE supplementary information within 12 hours")
            return
        }
        let urgent = header.urgency == .urgent
        let direct = header.accessibility == .direct
        if tables.configuration.mode == .sfdLegacy {
            // FD 2006/960 Art 4: the short periods need an offence of the European arrest warrant list and a
            // database the requested authority can access directly; urgency alone does not make 8 hours.
            guard isDirective || header.legalBasis == .sfd2006960 else { return }
            let listed = tables.configuration.eawOffenceAreas.containsAny(of: header.crimeAreas)
            if urgent, direct, listed {
                setDeadline(
                    .dl09,
                    seconds: deadlines.legacyUrgent,
                    "legacy: urgent, EAW-list offence, directly accessible"
                )
            } else if direct, listed {
                setDeadline(
                    .dl09,
                    seconds: deadlines.legacyNonUrgent,
                    "legacy: \(urgent ? "urgent" : "non-urgent"), EAW-list offence, directly accessible"
                )
            } else {
                setDeadline(
                    .dl09,
                    seconds: deadlines.legacyOther,
                    "legacy: other cases (\(listed ? "not directly accessible" : "no EAW-list offence"))"
                )
            }
            return
        }
        guard isDirective else { return }
        if urgent, direct {
            setDeadline(.dl01, seconds: deadlines.urgentDirect, "urgent request for directly available information")
        } else if urgent {
            setDeadline(.dl02, seconds: deadlines.urgentIndirect, "urgent request for indirectly available information")
        } else {
            setDeadline(.dl03, seconds: deadlines.nonUrgent, "non-urgent request")
        }
    }

    private mutating func setDeadline(_ rule: RuleID, seconds: Int64, _ reason: String) {
        oblige(Obligation(.deadline, rule: rule, seconds: seconds, at: receivedAt.adding(seconds: seconds)), reason)
    }

    /// DL-05: a delay past the time limit only while judicial authorisation is sought. In SFD_LEGACY mode the
    /// Framework Decision's postponement instead (DL-09).
    private mutating func checkDelayNotice(_ header: Header) {
        if tables.configuration.mode == .sfdLegacy {
            checkLegacyPostponement(header)
            return
        }
        guard header.judicialAuthorisationRequired else {
            violate(
                .dl05,
                "an answer may be delayed past the time limit only while judicial authorisation is sought (judicial_authorisation_required)"
            )
            return
        }
        if let request = header.inReplyTo {
            if let asked = answeredRequest, !wasAsked(header.sender, asked.header) {
                note(
                    .dl07,
                    "\(header.sender) was not asked request \(request): its delay notice does not extend the deadline"
                )
                return
            }
            oblige(
                Obligation(.extendDeadline, rule: .dl05, message: request),
                "judicial authorisation is sought: the deadline may be exceeded as far as needed; answer once authorised"
            )
        } else {
            violate(.dl05, "a delay notice names the request it concerns (in_reply_to)")
        }
    }

    /// DL-09, FD 2006/960 Art 4(2): the requested side may postpone an 8-hour answer that would be a
    /// disproportionate burden, telling the requester at once (before the 8 hours pass); the answer is then due at
    /// most `postponed` (3 days) after the request's receipt. Other requests cannot be postponed this way.
    private mutating func checkLegacyPostponement(_ header: Header) {
        guard let request = header.inReplyTo else {
            violate(.dl05, "a delay notice names the request it concerns (in_reply_to)")
            return
        }
        guard let asked = answeredRequest, let entry = context.entry(request), let due = entry.deadline else { return }
        guard wasAsked(header.sender, asked.header) else {
            note(
                .dl07,
                "\(header.sender) was not asked request \(request): its delay notice does not postpone the answer"
            )
            return
        }
        let deadlines = tables.configuration.deadlines
        let receivedAtRequest = entry.message.receivedAt
        guard due.millisecondsSinceEpoch - receivedAtRequest.millisecondsSinceEpoch == deadlines.legacyUrgent * 1000
        else {
            violate(
                .dl09,
                "only an 8-hour answer may be postponed (FD 2006/960 Art 4(2)); request \(request) has a longer period"
            )
            return
        }
        guard receivedAt <= due else {
            violate(
                .dl09,
                "a postponement is notified at once, within the 8 hours; request \(request) was due at \(due)"
            )
            return
        }
        let postponed = receivedAtRequest.adding(seconds: deadlines.legacyPostponed)
        oblige(
            Obligation(.extendDeadline, rule: .dl09, at: postponed, message: request),
            "the 8-hour answer is postponed with notice (FD 2006/960 Art 4(2)): due by \(postponed)"
        )
    }

    /// DL-06: a clarification request from the requested side pauses the deadline.
    private mutating func checkClarificationRequest(_ header: Header) {
        guard let answered, answered.header.messageType == .request, let request = header.inReplyTo else { return }
        guard wasAsked(header.sender, answered.header) else {
            violate(.dl06, "only the requested side may ask for clarification of request \(request)")
            return
        }
        oblige(
            Obligation(.pauseDeadline, rule: .dl06, message: request),
            "the deadline pauses from receipt of the clarification request until the clarification is provided"
        )
    }

    /// DL-06: the clarification restarts the paused deadline.
    private mutating func checkClarification(_ header: Header) {
        guard let answered, answered.header.messageType == .clarificationRequest,
            let request = answered.header.inReplyTo, let entry = context.entry(request), entry.pausedSince != nil
        else { return }
        guard entry.header.sender == header.sender else {
            note(
                .dl07,
                "\(header.sender) did not ask request \(request): its clarification does not restart the deadline"
            )
            return
        }
        oblige(
            Obligation(.resumeDeadline, rule: .dl06, message: request),
            "the clarification is provided: the deadline runs again"
        )
    }
}
