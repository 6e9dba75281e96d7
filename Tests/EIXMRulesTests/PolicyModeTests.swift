import EIXMModel
import EIXMRules
import Foundation
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

    /// The DL-09 period (seconds) SFD_LEGACY mode sets for a request.
    private func legacyPeriod(_ header: Header) -> Int64? {
        RuleFixtures.decide(header, mode: .sfdLegacy).obligations.first { $0.rule == .dl09 && $0.kind == .deadline }?
            .seconds
    }

    @Test(
        "SFD_LEGACY follows FD 2006/960 Art 4: 8 hours and one week only for an EAW-list offence in a directly accessible database; an urgent request for another offence, or for indirect data, gets 14 days"
    )
    func legacyOffenceList() {
        var header = RuleFixtures.request()
        header.copyToEuropol = nil
        header.accessibility = .direct
        header.urgency = .urgent
        header.urgencyReason = .imminentSeriousThreatPublicSecurity
        #expect(legacyPeriod(header) == Int64(8 * 3600))
        header.crimeAreas = [.insiderDealingMarketManipulation]
        #expect(legacyPeriod(header) == Int64(14 * 86_400), "insider dealing is not on the EAW list")
        header.crimeAreas = [.simpleTheft]
        #expect(legacyPeriod(header) == Int64(14 * 86_400))
        header.crimeAreas = [.corruption]
        #expect(legacyPeriod(header) == Int64(8 * 3600))
        header.accessibility = .indirect
        #expect(legacyPeriod(header) == Int64(14 * 86_400))
        header.urgency = .nonUrgent
        header.urgencyReason = nil
        header.accessibility = .direct
        #expect(legacyPeriod(header) == Int64(7 * 86_400))
        header.crimeAreas = [.insiderDealingMarketManipulation]
        #expect(legacyPeriod(header) == Int64(14 * 86_400))
    }

    @Test(
        "SFD_LEGACY postpones an 8-hour answer with a delay notice sent within the 8 hours, to at most 3 days after receipt, without judicial authorisation; a late notice, one for a longer period and one from a node not asked postpone nothing"
    )
    func legacyPostponement() throws {
        var configuration = RuleFixtures.configuration
        configuration.mode = .sfdLegacy
        let engine = RulesEngine(configuration: configuration)
        var request = RuleFixtures.request()
        request.copyToEuropol = nil
        request.accessibility = .direct
        request.urgency = .urgent
        request.urgencyReason = .imminentSeriousThreatPublicSecurity
        var context = CaseContext()
        context.record(
            request,
            decision: engine.decide(request, receivedAt: RuleFixtures.receivedAt, context: context),
            receivedAt: RuleFixtures.receivedAt
        )
        let notice = RuleFixtures.answer(.delayNotice, to: request)
        let inTime = RuleFixtures.receivedAt.adding(seconds: 3600)
        let postponed = engine.decide(notice, receivedAt: inTime, context: context)
        #expect(postponed.verdict == .accept, "\(postponed.firings)")
        #expect(!postponed.fired(.dl05))
        let postponement = try #require(postponed.obligations.first { $0.kind == .extendDeadline })
        #expect(postponement.rule == .dl09)
        #expect(postponement.at == RuleFixtures.receivedAt.adding(seconds: 3 * 86_400))
        var after = context
        after.record(notice, decision: postponed, receivedAt: inTime)
        #expect(after.entry(request.id)?.deadline == RuleFixtures.receivedAt.adding(seconds: 3 * 86_400))
        #expect(after.entry(request.id)?.extended == false)

        let late = engine.decide(
            notice,
            receivedAt: RuleFixtures.receivedAt.adding(seconds: 9 * 3600),
            context: context
        )
        #expect(late.violates(.dl09))
        var stranger = notice
        stranger.sender = .spoc(.de)
        #expect(!engine.decide(stranger, receivedAt: inTime, context: context).obliges(.dl09, .extendDeadline))

        var slow = request
        slow.id = RuleFixtures.request(5).id
        slow.urgency = .nonUrgent
        slow.urgencyReason = nil
        var slowContext = CaseContext()
        slowContext.record(
            slow,
            decision: engine.decide(slow, receivedAt: RuleFixtures.receivedAt, context: slowContext),
            receivedAt: RuleFixtures.receivedAt
        )
        #expect(
            engine.decide(RuleFixtures.answer(.delayNotice, to: slow), receivedAt: inTime, context: slowContext)
                .violates(.dl09)
        )
    }

    @Test(
        "a rules file without eaw_offence_areas gets the built-in file's European arrest warrant list; one given replaces it"
    )
    func eawListDefault() throws {
        let text = RulesConfiguration.defaultYAML
        let start = try #require(text.range(of: "eaw_offence_areas:\n"))
        let end = try #require(text.range(of: "\n\n", range: start.upperBound..<text.endIndex))
        let without = try RulesConfiguration.load(
            yaml: text.replacingCharacters(in: start.lowerBound..<end.lowerBound, with: ""),
            file: "old.yaml"
        )
        #expect(without.eawOffenceAreas == RuleFixtures.configuration.eawOffenceAreas)
        #expect(without.eawOffenceAreas.contains(.drugTrafficking))
        #expect(!without.eawOffenceAreas.contains(.insiderDealingMarketManipulation))
        let given = try RulesConfiguration.load(
            yaml: text.replacingCharacters(
                in: start.lowerBound..<end.lowerBound,
                with: "eaw_offence_areas: [CORRUPTION]"
            ),
            file: "narrow.yaml"
        )
        #expect(given.eawOffenceAreas == CrimeAreaSet([.corruption]))
    }
}
