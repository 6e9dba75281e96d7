import EIXMModel
import EIXMRules
import Testing

@Suite("Third-country and logging rules")
struct ThirdCountryAndLoggingRulesTests {
    private func toUK() -> Header {
        var header = RuleFixtures.request()
        header.to = [RuleFixtures.node("UK-NCA")]
        header.channel = .interpol
        header.legalBasis = .national
        header.containsPersonalData = true
        header.dataSubjectCategories = [.suspect]
        header.originatorState = .fr
        return header
    }

    @Test("TC-01: personal data from another state goes to a third country only with its authorisation")
    func tc01() {
        var header = toUK()
        #expect(RuleFixtures.decide(header).violates(.tc01))
        header.originatorConsent = true
        #expect(!RuleFixtures.decide(header).fired(.tc01))
        header.originatorConsent = nil
        header.urgency = .urgent
        header.urgencyReason = .imminentSeriousThreatPublicSecurity
        let threat = RuleFixtures.decide(header)
        #expect(threat.obliges(.tc01, .notify, to: .spoc(.fr)))
        #expect(!threat.violates(.tc01))
    }

    @Test(
        "TC-01: personal data forwarded from a message of another state needs that state's authorisation for a third country, whatever originator_ms says"
    )
    func tc01Forwarded() {
        // The Netherlands told France; France passes it on to the UK.
        var original = RuleFixtures.request()
        original.sender = .spoc(.nl)
        original.language = LanguageCode("FR")
        original.containsPersonalData = true
        original.dataSubjectCategories = [.suspect]
        let context = RuleFixtures.context(original)
        var forward = RuleFixtures.request(7)
        forward.sender = .spoc(.fr)
        forward.to = [RuleFixtures.node("UK-NCA")]
        forward.channel = .interpol
        forward.legalBasis = .national
        forward.forwardedFrom = original.id
        forward.containsPersonalData = true
        forward.dataSubjectCategories = [.suspect]
        // Consent of another state does not stand for the Netherlands'.
        forward.originatorState = .de
        forward.originatorConsent = true
        let decision = RuleFixtures.decide(forward, context: context)
        #expect(decision.violates(.tc01))
        #expect(decision.firings.contains { $0.rule == .tc01 && $0.reason.contains("NL") }, "\(decision.firings)")
        forward.originatorState = nil
        forward.originatorConsent = nil
        #expect(RuleFixtures.decide(forward, context: context).violates(.tc01))
        forward.originatorState = .nl
        forward.originatorConsent = true
        #expect(!RuleFixtures.decide(forward, context: context).fired(.tc01))
    }

    @Test("LOG-01: SPOCs log what they send and receive; an exchange between agencies is not a SPOC's")
    func log01() {
        let decision = RuleFixtures.decide(RuleFixtures.request())
        #expect(decision.obliges(.log01, .log, to: .spoc(.be)))
        #expect(decision.obliges(.log01, .log, to: .spoc(.fr)))
        var agencies = RuleFixtures.request()
        agencies.sender = .europol
        agencies.to = [.eurojust]
        agencies.legalBasis = .er2016794
        agencies.assistanceRequested = false
        #expect(!RuleFixtures.decide(agencies).fired(.log01))
    }

    @Test(
        "LOG-01: a SPOC copied by the rules logs the exchange too (a designated LEA's request copied to its SPOC, a competent LEA's direct exchange copied to both SPOCs), once each; an exempt exchange copies and logs no SPOC"
    )
    func log01Copies() {
        var designated = RuleFixtures.request()
        designated.sender = RuleFixtures.node("DLEA-BE-ANTWERP")
        let toSPOC = RuleFixtures.decide(designated)
        #expect(toSPOC.obliges(.ch04, .copy, to: .spoc(.be)))
        #expect(toSPOC.obliges(.log01, .log, to: .spoc(.be)))
        #expect(toSPOC.obliges(.log01, .log, to: .spoc(.fr)))

        var direct = RuleFixtures.request()
        direct.sender = RuleFixtures.node("LEA-DE-BKA")
        direct.to = [RuleFixtures.node("LEA-FR-LILLE")]
        direct.messageType = .spontaneous
        direct.language = LanguageCode("FR")
        let between = RuleFixtures.decide(direct)
        for spoc in [NodeID.spoc(.de), .spoc(.fr)] {
            #expect(between.obliges(.log01, .log, to: spoc), "\(spoc)")
            #expect(between.obligations.filter { $0.rule == .log01 && $0.to == spoc }.count == 1)
        }
        direct.noCopyReason = .highlySensitiveInvestigation
        #expect(!RuleFixtures.decide(direct).fired(.log01))
    }

    @Test("LOG-03: automated Prüm exchanges are logged for two years by both sides")
    func log03() {
        var header = RuleFixtures.request()
        header.sender = RuleFixtures.node("NCP-DE-PRUM")
        header.to = [RuleFixtures.node("NCP-AT-PRUM")]
        header.channel = .prumAutomated
        header.legalBasis = .prum
        header.payloadType = .vrd
        header.copyToEuropol = nil
        let decision = RuleFixtures.decide(header)
        #expect(decision.obliges(.log03, .log, to: RuleFixtures.node("NCP-DE-PRUM")))
        #expect(decision.obligations.first { $0.rule == .log03 }?.seconds == Int64(730 * 86_400))
        #expect(!RuleFixtures.decide(RuleFixtures.request()).fired(.log03))
    }
}
