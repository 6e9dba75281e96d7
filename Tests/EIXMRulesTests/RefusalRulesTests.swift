import EIXMModel
import EIXMRules
import Testing

@Suite("Refusal rules")
struct RefusalRulesTests {
    private func refusal(_ reason: RefusalReason?) -> Header {
        var header = RuleFixtures.answer(.refusal, to: RuleFixtures.request())
        header.refusalReason = reason
        return header
    }

    @Test(
        "RF-a to RF-h: a refusal on each ground is accepted and cites the ground's rule",
        arguments: [
            (RefusalReason.notAvailable, RuleID.rfA), (.invalidRequest, .rfB), (.judicialAuthRefused, .rfC),
            (.pdCategory, .rfD), (.dataQuality, .rfE), (.natSec, .rfF), (.investigation, .rfF), (.safety, .rfF),
            (.legalPerson, .rfF), (.lowPenalty, .rfG), (.notAnOffence, .rfG), (.noOriginatorConsent, .rfH),
        ]
    )
    func grounds(reason: RefusalReason, rule: RuleID) {
        let decision = RuleFixtures.decide(refusal(reason))
        #expect(decision.verdict == .accept, "\(decision.firings)")
        #expect(decision.fired(rule))
    }

    @Test("RF-h: information from another state is not provided without its consent")
    func rfH() {
        var reply = RuleFixtures.answer(.reply, to: RuleFixtures.request())
        #expect(!RuleFixtures.decide(reply).fired(.rfH))
        reply.originatorState = .nl
        #expect(RuleFixtures.decide(reply).violates(.rfH))
        reply.originatorConsent = true
        #expect(!RuleFixtures.decide(reply).fired(.rfH))
    }

    @Test("RF-h: giving information back to the state it came from needs no consent; passing it to another state does")
    func rfHBackToOrigin() {
        var back = RuleFixtures.request()
        back.sender = .spoc(.fr)
        back.to = [.spoc(.nl)]
        back.messageType = .spontaneous
        back.language = .english
        back.originatorState = .nl
        back.affectedStates = [.fr, .nl]
        #expect(!RuleFixtures.decide(back).fired(.rfH))
        back.to = [.spoc(.nl), .spoc(.be)]
        #expect(RuleFixtures.decide(back).violates(.rfH))
    }

    @Test("RF-x: a refusal without a ground, or refusing the whole for a partial ground, is rejected")
    func rfX() {
        #expect(RuleFixtures.decide(refusal(nil)).violates(.rfX))
        var whole = refusal(.safety)
        whole.refusalScope = .full
        whole.refusalGroundScope = .partial
        #expect(RuleFixtures.decide(whole).violates(.rfX))
        whole.refusalScope = .partial
        #expect(!RuleFixtures.decide(whole).fired(.rfX))
    }
}
