import EIXMModel
import EIXMRules
import Testing

@Suite("The baseline message")
struct BaselineTests {
    @Test("the clean request is accepted with its duties, and deciding twice gives the same decision")
    func cleanRequest() {
        let decision = RuleFixtures.decide(RuleFixtures.request())
        #expect(decision.verdict == .accept, "\(decision.firings)")
        #expect(decision.violations.isEmpty)
        #expect(decision.obliges(.eu02, .copy, to: .europol))
        #expect(decision.obliges(.dl03, .deadline))
        #expect(decision.obliges(.log01, .log, to: .spoc(.be)))
        #expect(decision.obliges(.log01, .log, to: .spoc(.fr)))
        #expect(RuleFixtures.decide(RuleFixtures.request()) == decision)
    }

    @Test("a rejection lists every rule broken and carries no duties")
    func everyViolationListed() {
        var header = RuleFixtures.request()
        header.channel = .interpol
        header.evaluation = Evaluation(source: "Z", info: "9")
        let decision = RuleFixtures.decide(header)
        #expect(decision.verdict == .reject)
        #expect(decision.violations == [.ch01, .ev01])
        #expect(decision.obligations.isEmpty)
        #expect(decision.rules == [.ch01, .ev01])
    }

    @Test("a disabled rule does not fire")
    func disabledRule() {
        var configuration = RuleFixtures.configuration
        configuration.disabledRules = [.ch01]
        var header = RuleFixtures.request()
        header.channel = .interpol
        let decision = RulesEngine(configuration: configuration).decide(
            header,
            receivedAt: RuleFixtures.receivedAt,
            context: CaseContext()
        )
        #expect(decision.verdict == .accept)
        #expect(!decision.fired(.ch01))
    }
}
