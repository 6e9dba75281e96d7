import EIXMModel
import EIXMRules
import Testing

@Suite("Europol rules")
struct EuropolRulesTests {
    @Test("EU-01: Europol receives only what is in its mandate")
    func eu01() {
        var header = RuleFixtures.request()
        header.cc = [.europol]
        #expect(!RuleFixtures.decide(header).fired(.eu01))
        header.crimeAreas = [.simpleTheft]
        #expect(RuleFixtures.decide(header).violates(.eu01))
        // Drug trafficking affecting one state only is outside the mandate when two states are required.
        header.crimeAreas = [.drugTrafficking]
        header.to = [.europol]
        header.cc = []
        header.affectedStates = [.be]
        header.messageType = .spontaneous
        #expect(RuleFixtures.decide(header).violates(.eu01))
    }

    @Test("EU-02: the Europol-copy decision is required within the mandate; true copies, false needs a reason")
    func eu02() {
        var header = RuleFixtures.request()
        #expect(RuleFixtures.decide(header).obliges(.eu02, .copy, to: .europol))
        header.copyToEuropol = nil
        #expect(RuleFixtures.decide(header).violates(.eu02))
        header.copyToEuropol = false
        #expect(RuleFixtures.decide(header).violates(.eu02))
        header.copyToEuropolReason = "no link to other cases"
        let declined = RuleFixtures.decide(header)
        #expect(declined.verdict == .accept)
        #expect(!declined.obliges(.eu02, .copy))
        header.crimeAreas = [.simpleTheft]
        header.copyToEuropol = nil
        #expect(!RuleFixtures.decide(header).fired(.eu02))
    }

    @Test("EU-04: information from another state goes to Europol only with its consent")
    func eu04() {
        var header = RuleFixtures.request()
        header.originatorState = .nl
        #expect(RuleFixtures.decide(header).violates(.eu04))
        header.originatorConsent = true
        #expect(!RuleFixtures.decide(header).fired(.eu04))
        header.originatorConsent = nil
        header.copyToEuropol = false
        header.copyToEuropolReason = "originator has not consented"
        #expect(!RuleFixtures.decide(header).fired(.eu04))
    }

    @Test("EU-06: a forward for another purpose needs the provider's consent")
    func eu06() {
        let original = RuleFixtures.request()
        let context = RuleFixtures.context(original)
        var forward = RuleFixtures.request(5)
        forward.sender = .spoc(.fr)
        forward.to = [.spoc(.be)]
        forward.forwardedFrom = original.id
        forward.purpose = .crimePrevention
        forward.handlingCodes = HandlingCodes()
        #expect(RuleFixtures.decide(forward, context: context).violates(.eu06))
        forward.providerPermissionTokens = ["PERM-BE-1"]
        #expect(!RuleFixtures.decide(forward, context: context).fired(.eu06))
        forward.providerPermissionTokens = []
        forward.purpose = .crimeInvestigation
        #expect(!RuleFixtures.decide(forward, context: context).fired(.eu06))
    }

    @Test("EU-07: Europol's transfer of personal data to a third country needs an Art 25 basis")
    func eu07() {
        var header = RuleFixtures.request()
        header.sender = .europol
        header.to = [RuleFixtures.node("UK-NCA")]
        header.containsPersonalData = true
        header.dataSubjectCategories = [.suspect]
        header.legalBasis = .er2016794
        #expect(RuleFixtures.decide(header).violates(.eu07))
        header.transferBasis = .euAgreementArt218
        #expect(!RuleFixtures.decide(header).fired(.eu07))
    }
}
