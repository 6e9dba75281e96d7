import EIXMModel
import EIXMRules
import Foundation
import Testing

@Suite("Channel rules")
struct ChannelRulesTests {
    let node = RuleFixtures.node

    @Test("CH-01: a Directive request off SIENA without an exception is rejected; on SIENA it is not")
    func ch01() {
        var header = RuleFixtures.request()
        #expect(!RuleFixtures.decide(header).fired(.ch01))
        header.channel = .bilateralLo
        #expect(RuleFixtures.decide(header).violates(.ch01))
        header.sienaException = .thirdPartyInvolved
        #expect(!RuleFixtures.decide(header).fired(.ch01))
    }

    @Test("CH-02: an urgent temporary deviation must be recorded on SIENA; another exception is only logged")
    func ch02() {
        var header = RuleFixtures.request()
        header.channel = .bilateralLo
        header.sienaException = .urgentTemporary
        let urgent = RuleFixtures.decide(header)
        #expect(urgent.verdict == .accept)
        #expect(urgent.obliges(.ch02, .recordOnSIENA))
        header.sienaException = .sienaIncident
        let incident = RuleFixtures.decide(header)
        #expect(incident.fired(.ch02))
        #expect(!incident.obliges(.ch02, .recordOnSIENA))
    }

    @Test("CH-03: a competent LEA may not send a request to a foreign SPOC; a designated LEA may")
    func ch03() {
        var header = RuleFixtures.request()
        header.sender = node("LEA-DE-BKA")
        header.affectedStates = [.de, .fr]
        #expect(RuleFixtures.decide(header).violates(.ch03))
        header.sender = node("DLEA-BE-ANTWERP")
        header.affectedStates = [.be, .fr]
        #expect(!RuleFixtures.decide(header).fired(.ch03))
    }

    @Test("CH-04: a designated LEA's request to a foreign SPOC is copied to its own SPOC, unless exempt")
    func ch04() {
        var header = RuleFixtures.request()
        header.sender = node("DLEA-BE-ANTWERP")
        #expect(RuleFixtures.decide(header).obliges(.ch04, .copy, to: .spoc(.be)))
        header.noCopyReason = .highlySensitiveInvestigation
        let exempt = RuleFixtures.decide(header)
        #expect(!exempt.obliges(.ch04, .copy))
        #expect(exempt.fired(.ch04))
        header.noCopyReason = nil
        header.cc = [.spoc(.be)]
        #expect(!RuleFixtures.decide(header).fired(.ch04))
    }

    @Test("CH-05: a SPOC's request to a foreign competent LEA is copied to that state's SPOC; SPOC to SPOC is not")
    func ch05() {
        var header = RuleFixtures.request()
        #expect(!RuleFixtures.decide(header).fired(.ch05))
        header.to = [node("LEA-FR-LILLE")]
        #expect(RuleFixtures.decide(header).obliges(.ch05, .copy, to: .spoc(.fr)))
        // Between competent LEAs of two states: both SPOCs.
        header.sender = node("LEA-DE-BKA")
        header.messageType = .spontaneous
        header.language = LanguageCode("FR")
        let between = RuleFixtures.decide(header)
        #expect(between.obliges(.ch05, .copy, to: .spoc(.fr)))
        #expect(between.obliges(.ch05, .copy, to: .spoc(.de)))
    }

    @Test(
        "CH-05: a designated LEA's or a PCCC's direct request to another state's competent LEA is copied to both SPOCs, as a competent LEA's is; an exemption lifts the copies; a designated LEA's request to a foreign SPOC copies its own SPOC once"
    )
    func ch05DesignatedAuthorities() {
        var header = RuleFixtures.request()
        header.sender = node("DLEA-BE-ANTWERP")
        header.to = [node("LEA-FR-LILLE")]
        let designated = RuleFixtures.decide(header)
        #expect(designated.verdict == .accept, "\(designated.firings)")
        #expect(designated.obliges(.ch05, .copy, to: .spoc(.fr)))
        #expect(designated.obliges(.ch05, .copy, to: .spoc(.be)))
        header.noCopyReason = .highlySensitiveInvestigation
        let exempt = RuleFixtures.decide(header)
        #expect(!exempt.obliges(.ch05, .copy))
        #expect(exempt.fired(.ch05))

        var pccc = RuleFixtures.request()
        pccc.sender = node("PCCC-FR-ES")
        pccc.to = [node("LEA-ES-MALAGA")]
        pccc.affectedStates = [.fr, .es]
        pccc.language = LanguageCode("ES")
        let centre = RuleFixtures.decide(pccc)
        #expect(centre.obliges(.ch05, .copy, to: .spoc(.es)), "\(centre.firings)")
        #expect(centre.obliges(.ch05, .copy, to: .spoc(.fr)))

        var toSPOC = RuleFixtures.request()
        toSPOC.sender = node("DLEA-BE-ANTWERP")
        let copies = RuleFixtures.decide(toSPOC).obligations.filter { $0.kind == .copy && $0.to == .spoc(.be) }
        #expect(copies.map(\.rule) == [.ch04])
    }

    @Test("CH-07: a message about an SIS alert off SIRENE is rejected")
    func ch07() {
        var header = RuleFixtures.request()
        header.sisAlertID = "SIS-FR-1"
        #expect(RuleFixtures.decide(header).violates(.ch07))
        header.channel = .sirene
        header.legalBasis = .sis
        #expect(!RuleFixtures.decide(header).fired(.ch07))
    }

    @Test("CH-08: a SIRENE exchange without an SIS alert is rejected")
    func ch08() {
        var header = RuleFixtures.request()
        header.channel = .sirene
        header.legalBasis = .sis
        #expect(RuleFixtures.decide(header).violates(.ch08))
        header.sisAlertID = "SIS-FR-1"
        #expect(!RuleFixtures.decide(header).fired(.ch08))
    }

    @Test(
        "CH-09: a third country is reached via Interpol, or SIENA for a Europol partner; Interpol itself is a partner organisation reachable over SIENA, unless the partner list leaves it out"
    )
    func ch09() throws {
        var header = RuleFixtures.request()
        header.to = [node("INTERPOL-GS")]
        header.sienaException = .thirdPartyInvolved
        #expect(!RuleFixtures.decide(header).fired(.ch09), "the Europol-Interpol agreement allows SIENA")
        header.channel = .bilateralLo
        #expect(RuleFixtures.decide(header).violates(.ch09))
        header.channel = .interpol
        #expect(!RuleFixtures.decide(header).fired(.ch09))
        header.to = [node("UK-NCA")]
        header.channel = .siena
        #expect(!RuleFixtures.decide(header).fired(.ch09))
        header.channel = .bilateralLo
        #expect(RuleFixtures.decide(header).violates(.ch09))

        let withoutInterpol = RulesConfiguration.defaultYAML.replacingOccurrences(of: ", INTERPOL]", with: "]")
        let configuration = try RulesConfiguration.load(yaml: withoutInterpol, file: "rules.yaml")
        #expect(!configuration.directory.profile(node("INTERPOL-GS"))!.europolPartner)
        var toInterpol = RuleFixtures.request()
        toInterpol.to = [node("INTERPOL-GS")]
        toInterpol.sienaException = .thirdPartyInvolved
        let decision = RulesEngine(configuration: configuration).decide(
            toInterpol,
            receivedAt: RuleFixtures.receivedAt,
            context: CaseContext()
        )
        #expect(decision.violates(.ch09))
    }

    @Test(
        "the Europol partner list takes country codes and organisation names, under its new and its older key, and names a bad entry"
    )
    func europolPartners() throws {
        let older = RulesConfiguration.defaultYAML.replacingOccurrences(
            of: "europol_partners:",
            with: "europol_partner_countries:"
        )
        #expect(try RulesConfiguration.load(yaml: older, file: "rules.yaml").europolPartners.contains("INTERPOL"))
        for bad in ["u", "interpol", "A B", String(repeating: "X", count: 33)] {
            let text = RulesConfiguration.defaultYAML.replacingOccurrences(of: ", INTERPOL]", with: ", \"\(bad)\"]")
            let problems = RulesConfiguration.lint(yaml: text, file: "rules.yaml")
            #expect(
                problems.contains { "\($0)".contains("europol_partners") && "\($0)".contains("'\(bad)'") },
                "\(problems)"
            )
        }
    }

    private func prum(_ payload: PayloadType?) -> Header {
        var header = RuleFixtures.request()
        header.sender = node("NCP-DE-PRUM")
        header.to = [node("NCP-AT-PRUM")]
        header.channel = .prumAutomated
        header.legalBasis = .prum
        header.payloadType = payload
        header.copyToEuropol = nil
        return header
    }

    @Test("CH-10: the automated Prüm channel refuses narrative requests and accepts DNA profiles")
    func ch10() {
        #expect(RuleFixtures.decide(prum(.narrative)).violates(.ch10))
        #expect(RuleFixtures.decide(prum(nil)).violates(.ch10))
        #expect(!RuleFixtures.decide(prum(.dnaProfile)).fired(.ch10))
        #expect(!RuleFixtures.decide(prum(.facialImage)).fired(.ch10))
        var configuration = RuleFixtures.configuration
        configuration.prumIIEnabled = false
        let withoutPrumII = RulesEngine(configuration: configuration)
        #expect(
            withoutPrumII.decide(prum(.facialImage), receivedAt: RuleFixtures.receivedAt, context: CaseContext())
                .violates(.ch10)
        )
    }

    @Test("CH-11: an automated biometric answer with personal data is rejected; hit/no-hit passes")
    func ch11() {
        var header = prum(.dactyloscopic)
        header.messageType = .reply
        #expect(!RuleFixtures.decide(header).fired(.ch11))
        header.containsPersonalData = true
        header.dataSubjectCategories = [.suspect]
        #expect(RuleFixtures.decide(header).violates(.ch11))
    }

    @Test("CH-12: data after a Prüm hit is asked for on SIENA, not on the automated channel")
    func ch12() {
        var header = prum(.dnaProfile)
        header.prumHitRef = "PRUM-HIT-7"
        #expect(RuleFixtures.decide(header).violates(.ch12))
        var followUp = RuleFixtures.request()
        followUp.prumHitRef = "PRUM-HIT-7"
        #expect(!RuleFixtures.decide(followUp).fired(.ch12))
        followUp.channel = .interpol
        followUp.sienaException = .thirdPartyInvolved
        #expect(RuleFixtures.decide(followUp).violates(.ch12))
    }

    private func lea(_ sender: String) -> Header {
        var header = RuleFixtures.request()
        header.sender = node(sender)
        header.to = [.europol]
        header.messageType = .spontaneous
        header.affectedStates = [.de, .fr, .nl]
        header.copyToEuropol = nil
        return header
    }

    @Test("CH-13: a competent LEA contacts Europol directly only where its state allows it")
    func ch13() {
        #expect(RuleFixtures.decide(lea("LEA-FR-LILLE")).violates(.ch13))
        #expect(!RuleFixtures.decide(lea("LEA-DE-BKA")).fired(.ch13))
    }

    @Test(
        "CH-13: a designated LEA and a PCCC go to Europol through their ENU where their state does not allow direct contact; one of a state that allows it may, with the ENU copied"
    )
    func ch13DesignatedAuthorities() {
        #expect(RuleFixtures.decide(lea("DLEA-BE-ANTWERP")).violates(.ch13))
        #expect(RuleFixtures.decide(lea("PCCC-FR-ES")).violates(.ch13))
        var configuration = RuleFixtures.configuration
        configuration.directory.add(NodeProfile(id: node("DLEA-DE-HAMBURG"), kind: .designatedLea, state: .de))
        let engine = RulesEngine(configuration: configuration)
        let allowed = engine.decide(lea("DLEA-DE-HAMBURG"), receivedAt: RuleFixtures.receivedAt, context: CaseContext())
        #expect(!allowed.fired(.ch13), "\(allowed.firings)")
        #expect(allowed.obliges(.ch14, .copy, to: .spoc(.de)))
    }

    @Test("CH-14: a direct contact with Europol is copied to the ENU")
    func ch14() {
        let decision = RuleFixtures.decide(lea("LEA-DE-BKA"))
        #expect(decision.verdict == .accept, "\(decision.firings)")
        #expect(decision.obliges(.ch14, .copy, to: .spoc(.de)))
        #expect(!RuleFixtures.decide(lea("LEA-FR-LILLE")).obliges(.ch14, .copy))
    }

    @Test("CH-15: liaison officers outside the mandate use Europol as transport only, never as addressee")
    func ch15() {
        var header = RuleFixtures.request()
        header.sender = node("LO-NL-EUROPOL")
        header.to = [node("LO-IT-EUROPOL")]
        header.crimeAreas = [.simpleTheft]
        header.copyToEuropol = nil
        let transport = RuleFixtures.decide(header)
        #expect(transport.verdict == .accept, "\(transport.firings)")
        #expect(transport.obliges(.ch15, .transportOnly, to: .europol))
        header.cc = [.europol]
        #expect(RuleFixtures.decide(header).violates(.ch15))
        header.cc = []
        header.crimeAreas = [.drugTrafficking]
        #expect(!RuleFixtures.decide(header).fired(.ch15))
    }

    @Test("CH-16: a classification above the channel's ceiling is rejected")
    func ch16() {
        var header = RuleFixtures.request()
        header.classification = .euConfidential
        #expect(!RuleFixtures.decide(header).fired(.ch16))
        header.classification = .euSecret
        #expect(RuleFixtures.decide(header).violates(.ch16))
    }
}
