import EIXMModel
import EIXMRules
import Testing

@Suite("Eurojust rules")
struct EurojustRulesTests {
    private func toEurojust(from sender: NodeID) -> Header {
        var header = RuleFixtures.request()
        header.sender = sender
        header.to = [.eurojust]
        header.messageType = .spontaneous
        header.legalBasis = .ej20181727
        header.assistanceRequested = true
        header.copyToEuropol = nil
        return header
    }

    @Test("EJ-01: a SPOC does not contact Eurojust directly; a judicial authority does")
    func ej01() {
        #expect(RuleFixtures.decide(toEurojust(from: .spoc(.be))).violates(.ej01))
        #expect(!RuleFixtures.decide(toEurojust(from: RuleFixtures.node("JA-BE"))).fired(.ej01))
    }

    @Test("EJ-02: a message to Eurojust says whether assistance is requested")
    func ej02() {
        var header = toEurojust(from: RuleFixtures.node("JA-BE"))
        #expect(RuleFixtures.decide(header).fired(.ej02))
        #expect(!RuleFixtures.decide(header).violates(.ej02))
        header.assistanceRequested = nil
        #expect(RuleFixtures.decide(header).violates(.ej02))
    }

    @Test("EJ-03: a JIT set-up is notified to the national member at Eurojust")
    func ej03() {
        var header = RuleFixtures.request()
        header.jitEvent = .jitSetUp
        #expect(RuleFixtures.decide(header).obliges(.ej03, .notify, to: .eurojust))
        #expect(!RuleFixtures.decide(RuleFixtures.request()).fired(.ej03))
    }

    @Test("EJ-05: Europol and Eurojust exchange hit/no-hit; personal data after a hit needs the provider's decision")
    func ej05() {
        var header = RuleFixtures.request()
        header.sender = .europol
        header.to = [.eurojust]
        header.messageType = .hitNotification
        header.legalBasis = .er2016794
        header.assistanceRequested = false
        #expect(!RuleFixtures.decide(header).fired(.ej05))
        header.containsPersonalData = true
        header.dataSubjectCategories = [.suspect]
        #expect(RuleFixtures.decide(header).violates(.ej05))
        header.providerPermissionTokens = ["PERM-BE-3"]
        #expect(!RuleFixtures.decide(header).fired(.ej05))
    }
}
