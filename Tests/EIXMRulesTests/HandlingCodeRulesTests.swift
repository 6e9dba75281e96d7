import EIXMModel
import EIXMRules
import Testing

@Suite("Handling and evaluation code rules")
struct HandlingCodeRulesTests {
    /// The request with `codes`, remembered, and a forward of it by France to `recipient`.
    private func forward(codes: [HandlingCode], to recipient: NodeID, h3Text: String? = nil) -> (Header, CaseContext) {
        var original = RuleFixtures.request()
        original.handlingCodes = HandlingCodes(codes)
        original.h3Text = h3Text
        let context = RuleFixtures.context(original)
        var forward = RuleFixtures.request(7)
        forward.sender = .spoc(.fr)
        forward.to = [recipient]
        forward.forwardedFrom = original.id
        forward.messageType = .spontaneous
        forward.handlingCodes = HandlingCodes()
        forward.language = .english
        return (forward, context)
    }

    @Test("HC-02: H0 material may not serve an administrative purpose")
    func hc02() {
        var header = RuleFixtures.request()
        header.purpose = .administrative
        #expect(RuleFixtures.decide(header).violates(.hc02))
        header.purpose = .criminalIntelligence
        #expect(!RuleFixtures.decide(header).fired(.hc02))
    }

    @Test("HC-03: H1 material forwarded to a judicial authority needs the provider's permission")
    func hc03() {
        var (header, context) = forward(codes: [.h0, .h1], to: RuleFixtures.node("JA-FR"))
        header.messageType = .copy
        #expect(RuleFixtures.decide(header, context: context).violates(.hc03))
        header.providerPermissionTokens = ["PERM-BE-9"]
        #expect(!RuleFixtures.decide(header, context: context).fired(.hc03))
        let (toPolice, policeContext) = forward(codes: [.h0, .h1], to: .spoc(.de))
        #expect(!RuleFixtures.decide(toPolice, context: policeContext).fired(.hc03))
    }

    @Test("HC-04: H2 material forwarded beyond its addressees needs the provider's permission")
    func hc04() {
        var (header, context) = forward(codes: [.h0, .h2], to: .spoc(.de))
        #expect(RuleFixtures.decide(header, context: context).violates(.hc04))
        header.providerPermissionTokens = ["PERM-BE-9"]
        #expect(!RuleFixtures.decide(header, context: context).fired(.hc04))
        let (back, backContext) = forward(codes: [.h0, .h2], to: .spoc(.be))
        #expect(!RuleFixtures.decide(back, context: backContext).fired(.hc04))
        // Back to another authority of the provider's own state: no permission needed either.
        let (home, homeContext) = forward(codes: [.h0, .h2], to: RuleFixtures.node("DLEA-BE-ANTWERP"))
        #expect(!RuleFixtures.decide(home, context: homeContext).fired(.hc04))
    }

    @Test("HC-05: H3 needs its text, a forward carries it unchanged and needs manual review")
    func hc05() {
        var header = RuleFixtures.request()
        header.handlingCodes = HandlingCodes([.h0, .h3])
        #expect(RuleFixtures.decide(header).violates(.hc05))
        header.h3Text = "Not for customs."
        #expect(RuleFixtures.decide(header).obliges(.hc05, .manualReview))
        var (forwarded, context) = forward(codes: [.h0, .h3], to: .spoc(.de), h3Text: "Not for customs.")
        #expect(RuleFixtures.decide(forwarded, context: context).violates(.hc05))
        forwarded.h3Text = "Not for customs."
        let carried = RuleFixtures.decide(forwarded, context: context)
        #expect(carried.verdict == .accept, "\(carried.firings)")
        #expect(carried.obliges(.hc05, .manualReview))
        #expect(!RuleFixtures.decide(RuleFixtures.request()).fired(.hc05))
    }

    @Test("HC-06: Directive information used as evidence needs the provider's consent")
    func hc06() {
        var header = RuleFixtures.request()
        header.handlingCodes = HandlingCodes()
        header.purpose = .evidence
        #expect(RuleFixtures.decide(header).violates(.hc06))
        header.evidenceConsent = true
        #expect(!RuleFixtures.decide(header).fired(.hc06))
    }

    @Test("EV-01: evaluation codes outside A/B/C/X and 1-4 are rejected")
    func ev01() {
        var header = RuleFixtures.request()
        header.evaluation = Evaluation(source: "X", info: "4")
        #expect(!RuleFixtures.decide(header).fired(.ev01))
        header.evaluation = Evaluation(source: "D", info: "2")
        #expect(RuleFixtures.decide(header).violates(.ev01))
        header.evaluation = Evaluation(source: "A", info: "5")
        #expect(RuleFixtures.decide(header).violates(.ev01))
    }
}
