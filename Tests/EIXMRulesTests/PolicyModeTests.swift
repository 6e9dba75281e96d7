import EIXMModel
import EIXMRules
import Testing

@Suite("Policy modes")
struct PolicyModeTests {
    private var offSIENA: Header {
        var header = RuleFixtures.request()
        header.channel = .bilateralLo
        return header
    }

    @Test("the default mode is DIR_2023_977_FULL")
    func defaultMode() {
        #expect(RuleFixtures.configuration.mode == .directiveFull)
    }

    @Test(
        "FULL rejects a Directive request off SIENA; TRANSITIONAL accepts it with a note; SFD_LEGACY allows any channel"
    )
    func siena() {
        #expect(RuleFixtures.decide(offSIENA, mode: .directiveFull).violates(.ch01))
        let transitional = RuleFixtures.decide(offSIENA, mode: .directiveTransitional)
        #expect(transitional.verdict == .accept)
        #expect(transitional.firings.contains { $0.rule == .ch01 && $0.effect == .note })
        #expect(!RuleFixtures.decide(offSIENA, mode: .sfdLegacy).fired(.ch01))
    }

    @Test("SFD_LEGACY copies Europol without a case-by-case decision (EU-03) and sets 8h / 7d / 14d deadlines (DL-09)")
    func legacy() {
        var header = RuleFixtures.request()
        header.copyToEuropol = nil
        let legacy = RuleFixtures.decide(header, mode: .sfdLegacy)
        #expect(legacy.verdict == .accept, "\(legacy.firings)")
        #expect(legacy.obliges(.eu03, .copy, to: .europol))
        #expect(!legacy.fired(.eu02))
        #expect(legacy.obligations.first { $0.rule == .dl09 }?.seconds == Int64(14 * 86_400))
        header.accessibility = .direct
        #expect(
            RuleFixtures.decide(header, mode: .sfdLegacy).obligations.first { $0.rule == .dl09 }?.seconds
                == Int64(7 * 86_400)
        )
        header.urgency = .urgent
        header.urgencyReason = .imminentSeriousThreatPublicSecurity
        #expect(
            RuleFixtures.decide(header, mode: .sfdLegacy).obligations.first { $0.rule == .dl09 }?.seconds
                == Int64(8 * 3600)
        )
        #expect(RuleFixtures.decide(header, mode: .directiveFull).violates(.eu02))
        header.copyToEuropol = true
        #expect(!RuleFixtures.decide(header, mode: .directiveFull).violates(.eu02))
    }
}
