import EIXMModel
import EIXMRules
import Testing

@Suite("Spontaneous information, language and personal-data rules")
struct SpontaneousAndLanguageRulesTests {
    @Test("SP-01: a serious offence concerning a state not addressed is owed to its SPOC; a minor one is not")
    func sp01() {
        var header = RuleFixtures.request()
        header.affectedStates = [.be, .fr, .nl]
        #expect(RuleFixtures.decide(header).obliges(.sp01, .provideSpontaneously, to: .spoc(.nl)))
        header.cc = [.spoc(.nl)]
        #expect(!RuleFixtures.decide(header).fired(.sp01))
        header.cc = []
        header.crimeAreas = [.trafficOffence]
        #expect(!RuleFixtures.decide(header).fired(.sp01))
    }

    @Test(
        "SP-01 and PD-04 read serious crime as every offence of Europol Regulation Annex I: insider dealing and market manipulation owe spontaneous provision like any other"
    )
    func seriousCrimeIsAnnexI() {
        let configuration = RuleFixtures.configuration
        for area in CrimeArea.allCases where configuration.mandateCrimeAreas.contains(area) {
            #expect(configuration.seriousCrimeAreas.contains(area), "\(area) is an Annex I offence")
        }
        var header = RuleFixtures.request()
        header.affectedStates = [.be, .fr, .nl]
        header.crimeAreas = [.insiderDealingMarketManipulation]
        #expect(RuleFixtures.decide(header).obliges(.sp01, .provideSpontaneously, to: .spoc(.nl)))
    }

    @Test(
        "SP-01 owes nothing to the state the information came from, nor, in a refusal for want of consent, to the state whose consent is missing"
    )
    func sp01NotToTheOrigin() {
        var header = RuleFixtures.request()
        header.affectedStates = [.be, .fr, .nl, .de]
        header.originatorState = .nl
        header.originatorConsent = true
        let decision = RuleFixtures.decide(header)
        #expect(decision.obliges(.sp01, .provideSpontaneously, to: .spoc(.de)))
        #expect(!decision.obliges(.sp01, .provideSpontaneously, to: .spoc(.nl)))

        var refusal = RuleFixtures.answer(.refusal, to: RuleFixtures.request())
        refusal.refusalReason = .noOriginatorConsent
        refusal.originatorState = .nl
        refusal.affectedStates = [.be, .fr, .nl]
        #expect(!RuleFixtures.decide(refusal).obliges(.sp01, .provideSpontaneously, to: .spoc(.nl)))
    }

    @Test("SP-02: spontaneous information to a SPOC in a language it has not notified is rejected")
    func sp02() {
        var header = RuleFixtures.request()
        header.messageType = .spontaneous
        header.language = LanguageCode("DE")
        #expect(RuleFixtures.decide(header).violates(.sp02))
        header.language = .english
        #expect(!RuleFixtures.decide(header).fired(.sp02))
    }

    @Test("LG-01: a request to a SPOC in a language it has not notified, or in none, is rejected")
    func lg01() {
        var header = RuleFixtures.request()
        header.language = LanguageCode("PL")
        #expect(RuleFixtures.decide(header).violates(.lg01))
        header.language = nil
        #expect(RuleFixtures.decide(header).violates(.lg01))
        header.language = .english
        #expect(!RuleFixtures.decide(header).fired(.lg01))
    }

    @Test("LG-02: a reply in another language than the request is rejected")
    func lg02() {
        let request = RuleFixtures.request()
        let context = RuleFixtures.context(request)
        var reply = RuleFixtures.answer(.reply, to: request)
        #expect(!RuleFixtures.decide(reply, context: context).fired(.lg02))
        reply.language = .english
        #expect(RuleFixtures.decide(reply, context: context).violates(.lg02))
    }

    @Test("PD-01: personal data must name ER Annex II(B) data-subject categories")
    func pd01() {
        var header = RuleFixtures.request()
        header.containsPersonalData = true
        #expect(RuleFixtures.decide(header).violates(.pd01))
        header.dataSubjectCategories = [.suspect, .other]
        #expect(RuleFixtures.decide(header).violates(.pd01))
        header.dataSubjectCategories = [.other]
        #expect(RuleFixtures.decide(header).violates(.pd01))
        header.dataSubjectCategories = [.suspect, .witness]
        #expect(!RuleFixtures.decide(header).fired(.pd01))
    }
}
