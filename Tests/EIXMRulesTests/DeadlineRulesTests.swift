import EIXMModel
import EIXMRules
import Testing

@Suite("Deadline rules")
struct DeadlineRulesTests {
    private func deadline(_ decision: Decision, _ rule: RuleID) -> Obligation? {
        decision.obligations.first { $0.rule == rule && $0.kind == .deadline }
    }

    private func urgent(_ accessibility: Accessibility?) -> Header {
        var header = RuleFixtures.request()
        header.urgency = .urgent
        header.urgencyReason = .imminentRiskInfoLosesRelevance
        header.accessibility = accessibility
        return header
    }

    @Test("DL-01: urgent and directly available: 8 hours from receipt")
    func dl01() throws {
        let obligation = try #require(deadline(RuleFixtures.decide(urgent(.direct)), .dl01))
        #expect(obligation.seconds == Int64(8 * 3600))
        #expect(obligation.at == RuleFixtures.receivedAt.adding(seconds: 8 * 3600))
        #expect(!RuleFixtures.decide(urgent(.indirect)).fired(.dl01))
    }

    @Test("DL-02: urgent and indirectly available: 3 days")
    func dl02() throws {
        #expect(try #require(deadline(RuleFixtures.decide(urgent(.indirect)), .dl02)).seconds == 3 * 86_400)
        #expect(!RuleFixtures.decide(urgent(.direct)).fired(.dl02))
    }

    @Test("DL-03: non-urgent: 7 days; not for a reply")
    func dl03() throws {
        let request = RuleFixtures.request()
        #expect(try #require(deadline(RuleFixtures.decide(request), .dl03)).seconds == 7 * 86_400)
        #expect(!RuleFixtures.decide(RuleFixtures.answer(.reply, to: request)).fired(.dl03))
    }

    @Test("DL-04: urgency without one of the four reasons is rejected")
    func dl04() {
        var header = urgent(.direct)
        #expect(!RuleFixtures.decide(header).fired(.dl04))
        header.urgencyReason = nil
        #expect(RuleFixtures.decide(header).violates(.dl04))
    }

    @Test("DL-05: a delay notice extends the deadline only for judicial authorisation")
    func dl05() {
        let request = RuleFixtures.request()
        let context = RuleFixtures.context(request)
        var notice = RuleFixtures.answer(.delayNotice, to: request)
        #expect(RuleFixtures.decide(notice, context: context).violates(.dl05))
        notice.judicialAuthorisationRequired = true
        let decision = RuleFixtures.decide(notice, context: context)
        #expect(decision.verdict == .accept)
        #expect(decision.obliges(.dl05, .extendDeadline))
        #expect(decision.obligations.first { $0.rule == .dl05 }?.message == request.id)
    }

    @Test("DL-06: the requested side's clarification request pauses the deadline; the clarification resumes it")
    func dl06() throws {
        let request = RuleFixtures.request()
        var context = RuleFixtures.context(request)
        let askedAt = RuleFixtures.receivedAt.adding(seconds: 3600)
        let clarificationRequest = RuleFixtures.answer(.clarificationRequest, to: request)
        let pause = RuleFixtures.engine.decide(clarificationRequest, receivedAt: askedAt, context: context)
        #expect(pause.obliges(.dl06, .pauseDeadline))
        context.record(clarificationRequest, decision: pause, receivedAt: askedAt)
        #expect(context.entry(request.id)?.pausedSince == askedAt)

        var clarification = RuleFixtures.request(3)
        clarification.messageType = .clarification
        clarification.inReplyTo = clarificationRequest.id
        let answeredAt = askedAt.adding(seconds: 7200)
        let resume = RuleFixtures.engine.decide(clarification, receivedAt: answeredAt, context: context)
        #expect(resume.obliges(.dl06, .resumeDeadline))
        context.record(clarification, decision: resume, receivedAt: answeredAt)
        let entry = try #require(context.entry(request.id))
        #expect(entry.pausedSince == nil)
        #expect(entry.deadline == RuleFixtures.receivedAt.adding(seconds: 7 * 86_400 + 7200))

        // A clarification request from a node that was not asked is rejected.
        var stranger = clarificationRequest
        stranger.sender = .spoc(.de)
        stranger.id = RuleFixtures.request(9).id
        #expect(RuleFixtures.decide(stranger, context: RuleFixtures.context(request)).violates(.dl06))
    }

    @Test(
        "DL-07: a reply or refusal from the requested side closes the request's deadline; one from a node that was not asked, its delay notice and a clarification from a node that did not ask move nothing"
    )
    func dl07() throws {
        let request = RuleFixtures.request()
        var context = RuleFixtures.context(request)
        for type in [MessageType.reply, .refusal] {
            var answer = RuleFixtures.answer(type, to: request)
            if type == .refusal {
                answer.refusalReason = .notAvailable
                answer.refusalScope = .full
            }
            let decision = RuleFixtures.decide(answer, context: context)
            #expect(decision.obliges(.dl07, .closeDeadline), "\(type): \(decision.firings)")
            #expect(decision.obligations.first { $0.kind == .closeDeadline }?.message == request.id)
            var stranger = answer
            stranger.sender = .spoc(.de)
            stranger.language = .english
            let unasked = RuleFixtures.decide(stranger, context: context)
            #expect(!unasked.obliges(.dl07, .closeDeadline), "\(type) from a node not asked")
            #expect(unasked.fired(.dl07))
        }
        var notice = RuleFixtures.answer(.delayNotice, to: request)
        notice.judicialAuthorisationRequired = true
        notice.sender = .spoc(.de)
        let unaskedNotice = RuleFixtures.decide(notice, context: context)
        #expect(!unaskedNotice.obliges(.dl05, .extendDeadline))
        #expect(unaskedNotice.fired(.dl07))

        // France asks for clarification; Germany, which did not ask, answers it: the deadline stays paused.
        let askedAt = RuleFixtures.receivedAt.adding(seconds: 3600)
        let question = RuleFixtures.answer(.clarificationRequest, to: request)
        context.record(
            question,
            decision: RuleFixtures.engine.decide(question, receivedAt: askedAt, context: context),
            receivedAt: askedAt
        )
        var clarification = RuleFixtures.request(3)
        clarification.messageType = .clarification
        clarification.inReplyTo = question.id
        clarification.sender = .spoc(.de)
        let unaskedClarification = RuleFixtures.decide(clarification, context: context)
        #expect(!unaskedClarification.obliges(.dl06, .resumeDeadline))
        #expect(unaskedClarification.fired(.dl07))
        clarification.sender = request.sender
        #expect(RuleFixtures.decide(clarification, context: context).obliges(.dl06, .resumeDeadline))
    }

    @Test("DL-08: a SIRENE request is answered within 12 hours")
    func dl08() throws {
        var header = RuleFixtures.request()
        header.channel = .sirene
        header.legalBasis = .sis
        header.sisAlertID = "SIS-FR-1"
        #expect(try #require(deadline(RuleFixtures.decide(header), .dl08)).seconds == 12 * 3600)
        #expect(!RuleFixtures.decide(RuleFixtures.request()).fired(.dl08))
    }

    @Test(
        "the case context keeps the newest messages up to its capacity; a clarification request about a forgotten request pauses nothing"
    )
    func contextCapacity() {
        var context = CaseContext(capacity: 2)
        let requests = (1...3).map { RuleFixtures.request(UInt8($0)) }
        for request in requests {
            let decision = RuleFixtures.engine.decide(request, receivedAt: RuleFixtures.receivedAt, context: context)
            context.record(request, decision: decision, receivedAt: RuleFixtures.receivedAt)
            // Recording a message again replaces it and does not make room twice.
            context.record(request, decision: decision, receivedAt: RuleFixtures.receivedAt)
        }
        #expect(context.count == 2)
        #expect(context.entry(requests[0].id) == nil)
        #expect(context.entry(requests[1].id) != nil)
        #expect(context.entry(requests[2].id) != nil)
        let question = RuleFixtures.answer(.clarificationRequest, to: requests[0], index: 9)
        #expect(
            !RuleFixtures.engine.decide(question, receivedAt: RuleFixtures.receivedAt, context: context).obliges(
                .dl06,
                .pauseDeadline
            )
        )
    }
}
