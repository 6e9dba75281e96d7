import EIXMModel
import EIXMRules
import EIXMScenario
import Testing

/// The dry run: what the rules make of each inject, and each expectation they make impossible, at its place.
struct ScriptCheckTests {
    private func check(
        _ yaml: String,
        mode: PolicyMode? = nil
    ) -> (judged: [ScriptCheck.Judged], problems: [ConfigurationProblem]) {
        let (script, problems) = ScriptFixtures.script(yaml)
        #expect(problems.isEmpty, "\(problems)")
        var rules = RulesConfiguration.builtIn()
        if let mode { rules.mode = mode }
        return ScriptCheck(
            script: script,
            rules: rules,
            nodes: ScriptFixtures.nodes,
            start: ScriptFixtures.start,
            file: "test.yaml"
        ).run()
    }

    private func request(expect: String) -> String {
        """
        injects:
          - id: T1
            at: 1h
            send:
        \(ScriptFixtures.request)
            expect:
        \(expect)
        """
    }

    @Test func aConsistentInjectListsWhatItTriggersAndHasNoProblem() {
        let (judged, problems) = check(
            request(
                expect: """
                          verdict: accept
                          rules: [EU-02, DL-01]
                          receive: [SPOC-FR, EUROPOL]
                          answer: {from: SPOC-FR, type: REPLY, by: deadline}
                    """
            )
        )
        #expect(problems.isEmpty, "\(problems)")
        #expect(judged.count == 1)
        #expect(judged[0].decision.verdict == .accept)
        #expect(judged[0].targets.map(\.node) == [NodeID("SPOC-FR")!, .europol])
        #expect(judged[0].targets.map(\.rule) == [nil, .eu02])
        #expect(judged[0].deadline?.rule == .dl01)
        #expect(judged[0].deadline?.at == Timestamp(rfc3339: "2026-11-29T17:00:00Z"))
        let text = ScriptCheck.text(judged)
        #expect(text.contains("goes to: SPOC-FR, EUROPOL (EU-02)"))
        #expect(text.contains("deadline: DL-01 at 2026-11-29T17:00:00.000Z"))
    }

    @Test func expectationsTheRulesMakeImpossibleAreProblemsAtTheirLine() {
        let (_, problems) = check(
            request(
                expect: """
                          verdict: reject
                          rules: [CH-05]
                          receive: [EUROJUST]
                          answer: {from: UK-NCA, type: REPLY}
                    """
            )
        )
        let text = problems.map(\.description)
        #expect(
            text.contains {
                $0.hasPrefix("test.yaml:22:16: injects.T1.expect.verdict: the rules accept it, not reject")
            },
            "\(text)"
        )
        #expect(
            text.contains { $0.hasPrefix("test.yaml:23:14: injects.T1.expect.rules: CH-05 does not apply") },
            "\(text)"
        )
        #expect(
            text.contains { $0.contains("injects.T1.expect.receive: the rules do not send it to EUROJUST") },
            "\(text)"
        )
        #expect(
            text.contains { $0.contains("injects.T1.expect.answer.from: the rules do not send the message to UK-NCA") },
            "\(text)"
        )
        #expect(problems.count == 4)
    }

    @Test func aRejectedMessageCanBeNeitherReceivedNorAnswered() {
        let (judged, problems) = check(
            """
            injects:
              - id: T1
                at: 1h
                send:
                  from: SPOC-BE
                  header: {case_id: BE-1, to: [SPOC-FR], channel: SIENA, msg_type: REQUEST, legal_basis: DIR_2023_977, urgency: URGENT, urgency_reason: IMMINENT_RISK_INFO_LOSES_RELEVANCE, accessibility: DIRECT, crime_areas: [DRUG_TRAFFICKING], affected_ms: [BE, FR], purpose: CRIME_INVESTIGATION, handling_codes: [H0], copy_to_europol: true}
                expect:
                  receive: [SPOC-FR]
                  answer: {from: SPOC-FR, type: REPLY}
            """
        )
        #expect(judged[0].decision.verdict == .reject)
        let text = problems.map(\.description)
        #expect(text.contains { $0.contains("SPOC-FR cannot receive a message the rules reject") }, "\(text)")
        #expect(text.contains { $0.contains("nobody can answer a message the rules reject") }, "\(text)")
    }

    @Test func aDeadlineThatIsNotSetAndAFollowUpWithoutACaseAreProblems() {
        let (_, problems) = check(
            """
            injects:
              - id: T1
                at: 1h
                send:
                  from: SPOC-BE
                  header: {to: [SPOC-FR], channel: SIENA, msg_type: SPONTANEOUS, legal_basis: DIR_2023_977, crime_areas: [SIMPLE_THEFT], affected_ms: [BE, FR], purpose: CRIME_INVESTIGATION, language: FR, handling_codes: [H0]}
                expect:
                  answer: {from: SPOC-FR, type: [REPLY, HIT_NOTIFICATION], by: deadline}
                  must_not: [{to: UK-NCA}]
            """
        )
        let text = problems.map(\.description)
        #expect(
            text.contains { $0.contains("injects.T1.expect.answer.by: the rules set no deadline for this message") },
            "\(text)"
        )
        #expect(
            text.contains { $0.contains("injects.T1.expect.answer.type: a hit notification is matched by the case") },
            "\(text)"
        )
        #expect(
            text.contains { $0.contains("injects.T1.expect.must_not: a follow-up is looked for in the inject's case") },
            "\(text)"
        )
    }

    @Test func eachInjectIsJudgedInTheModeOfItsTimeAndTheContextBeforeIt() {
        let interpol = """
                  from: SPOC-BE
                  header: {case_id: BE-1, to: [SPOC-FR], channel: INTERPOL, msg_type: REQUEST, legal_basis: DIR_2023_977, urgency: NON_URGENT, accessibility: INDIRECT, crime_areas: [SIMPLE_THEFT], affected_ms: [BE, FR], purpose: CRIME_INVESTIGATION, language: FR, handling_codes: [H0]}
            """
        let (judged, problems) = check(
            """
            injects:
              - id: T1
                at: 1h
                send:
            \(interpol)
                expect: {verdict: accept, rules: [CH-01]}
              - {id: M, at: 2h, mode: DIR_2023_977_FULL}
              - id: T2
                at: 3h
                send:
            \(interpol)
                expect: {verdict: reject, rules: [CH-01]}
              - id: T3
                at: 4h
                send:
                  from: SPOC-FR
                  answers: T1
                  header: {to: [SPOC-BE], channel: SIENA, msg_type: REPLY, legal_basis: DIR_2023_977, crime_areas: [SIMPLE_THEFT], affected_ms: [BE, FR], purpose: CRIME_INVESTIGATION, language: FR, handling_codes: [H0]}
                expect: {verdict: accept, rules: [DL-07]}
            """,
            mode: .directiveTransitional
        )
        #expect(problems.isEmpty, "\(problems)")
        #expect(judged.map(\.decision.verdict) == [.accept, .reject, .accept])
        // The reply answers T1's message (in the case context), from its addressee: it closes T1's deadline.
        #expect(judged[2].decision.obligations.contains { $0.kind == .closeDeadline })
    }
}
