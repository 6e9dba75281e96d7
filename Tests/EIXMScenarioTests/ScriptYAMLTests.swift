import EIXMModel
import EIXMRules
import EIXMScenario
import Testing

/// Reading a script: every action, and every mistake as one sentence at its line and column, naming the key.
struct ScriptYAMLTests {
    @Test func everyKindOfInjectIsRead() throws {
        let (script, problems) = ScriptFixtures.script(
            """
            background: off
            lessons: [one, two]
            injects:
              - id: T1
                at: 0s
                description: the request
                send:
            \(ScriptFixtures.request)
                  body: who rents the flat?
              - id: T2
                at: 3h
                send:
                  from: SPOC-FR
                  answers: T1
                  header: {to: [SPOC-BE], channel: SIENA, msg_type: REPLY, legal_basis: DIR_2023_977, language: FR}
              - {id: S1, at: 1h, sis_alert: {node: SPOC-FR, issued_by: BE, alert_id: SIS-BE-1}}
              - {id: P1, at: 1h, prum_hit: {node: SPOC-BE, hit_in: FR, ref: PRUM-FR-9}}
              - {id: O1, at: 2h, offline: {node: SPOC-FR, for: 90m}}
              - {id: O2, at: 4h, offline: {node: EUROPOL}}
              - {id: O3, at: 6h, online: EUROPOL}
              - {id: R1, at: 5h, revoke: UK-NCA}
              - {id: M1, at: 7h, mode: SFD_LEGACY}
            """
        )
        #expect(problems.isEmpty, "\(problems)")
        #expect(!script.background)
        #expect(script.lessons == ["one", "two"])
        #expect(script.injects.map(\.name) == ["T1", "S1", "P1", "O1", "T2", "O2", "R1", "M1"])
        guard case .send(let from, let header, let body, nil) = script.injects[0].action else {
            Issue.record("T1 is not a message")
            return
        }
        #expect(from == NodeID("SPOC-BE"))
        #expect(header.caseID == "BE-1")
        #expect(header.urgency == .urgent)
        #expect(header.copyToEuropol == true)
        #expect(body == "who rents the flat?")
        guard case .send(_, let answer, _, "T1") = script.injects[4].action else {
            Issue.record("T2 does not answer T1")
            return
        }
        #expect(answer.caseID == "BE-1")
        guard case .send(_, let sis, _, _) = script.injects[1].action else {
            Issue.record("S1 is not a message")
            return
        }
        #expect(sis.channel == .sirene)
        #expect(sis.sisAlertID == "SIS-BE-1")
        #expect(sis.to == [NodeID("SPOC-BE")!])
        guard case .send(_, let prum, _, _) = script.injects[2].action else {
            Issue.record("P1 is not a message")
            return
        }
        #expect(prum.channel == .siena)
        #expect(prum.prumHitRef == "PRUM-FR-9")
        #expect(prum.to == [NodeID("SPOC-FR")!])
        #expect(script.injects[3].action == .offline(node: NodeID("SPOC-FR")!, milliseconds: 5_400_000))
        #expect(script.injects[5].action == .offline(node: .europol, milliseconds: 7_200_000))
        #expect(script.injects[6].action == .revoke(node: NodeID("UK-NCA")!))
        #expect(script.injects[7].action == .mode(.sfdLegacy))
    }

    @Test func expectationsAreRead() throws {
        let (script, problems) = ScriptFixtures.script(
            """
            injects:
              - id: T1
                at: 1h
                send:
            \(ScriptFixtures.request)
                expect:
                  verdict: accept
                  rules: [EU-02, DL-01]
                  receive: [SPOC-FR, EUROPOL]
                  answer: {from: SPOC-FR, type: [REPLY, REFUSAL], by: deadline}
                  must_not: [{from: SPOC-FR, to: UK-NCA, type: SPONTANEOUS}]
            """
        )
        #expect(problems.isEmpty, "\(problems)")
        let expectation = script.injects[0].expectation
        #expect(expectation.verdict == .accept)
        #expect(expectation.rules == ["EU-02", "DL-01"])
        #expect(expectation.receivers == [NodeID("SPOC-FR")!, .europol])
        #expect(expectation.answer?.types == [.reply, .refusal])
        #expect(expectation.answer?.due == .deadline)
        #expect(expectation.forbidden.first?.to == NodeID("UK-NCA"))
        #expect(expectation.forbidden.first?.type == .spontaneous)
        #expect(expectation.verdictPlace.line == 22)
    }

    @Test(arguments: [
        ("injects:\n  - {id: X, at: 1h}", "test.yaml:2:5: injects.X: an inject needs one of: send, sis_alert"),
        (
            "injects:\n  - {id: X, at: 1h, revoke: SPOC-BE, mode: SFD_LEGACY}",
            "an inject does one thing; it has revoke and mode"
        ),
        (
            "injects:\n  - {id: X, at: soon, revoke: SPOC-BE}",
            "test.yaml:2:17: injects.X.at: 'soon' is not a time from the start"
        ),
        ("injects:\n  - {at: 1h, revoke: SPOC-BE}", "injects[0].id: required key is missing"),
        (
            "injects:\n  - {id: X, at: 1h, revoke: SPOC-XX}",
            "test.yaml:2:29: injects.X.revoke: 'SPOC-XX' is not a node of this exercise"
        ),
        ("injects:\n  - {id: X, at: 1h, mode: LAX}", "injects.X.mode: 'LAX' is not one of: SFD_LEGACY"),
        (
            "injects:\n  - {id: X, at: 1h, revoke: SPOC-BE}\n  - {id: X, at: 2h, revoke: SPOC-FR}",
            "test.yaml:3:10: injects.X.id: another inject is called 'X'"
        ),
        ("injects:\n  - {id: X, at: 1h, online: SPOC-BE}", "injects.X.online: SPOC-BE is not offline"),
        (
            "injects:\n  - {id: X, at: 1h, offline: {node: SPOC-BE}}",
            "injects.X.offline: SPOC-BE goes offline with no 'for' and no later 'online'"
        ),
        (
            "injects:\n  - {id: X, at: 1h, revoke: SPOC-BE, expect: {verdict: accept}}",
            "injects.X.expect: only an inject that sends a message has expectations"
        ),
        (
            "injects:\n  - {id: X, at: 1h, send: {from: SPOC-BE, header: {to: [SPOC-FR]}, answers: T0}}",
            "injects.X.send.answers: no earlier inject called 'T0' sends a message"
        ),
        (
            "injects:\n  - {id: X, at: 1h, send: {from: SPOC-BE, header: {to: [SPOC-FR], channel: SIENA, legal_basis: DIR_2023_977}}}",
            "injects.X.send.header.msg_type: required field is absent"
        ),
        (
            "injects:\n  - {id: X, at: 1h, send: {from: SPOC-BE, header: {to: [SPOC-FR], channel: SIENNA, msg_type: REQUEST, legal_basis: DIR_2023_977}}}",
            "test.yaml:2:67: injects.X.send.header.channel: 'SIENNA' is not one of"
        ),
        (
            "injects:\n  - {id: X, at: 1h, send: {from: SPOC-BE, header: {id: abc, to: [SPOC-FR]}}}",
            "injects.X.send.header.id: set when the inject is sent; leave it out"
        ),
        (
            "injects:\n  - {id: X, at: 1h, sis_alert: {node: SPOC-FR, issued_by: XX, alert_id: A}}",
            "injects.X.sis_alert.issued_by: 'XX' is not one of"
        ),
        ("background: maybe", "test.yaml:1:13: background: expected on or off"),
    ])
    func mistakesAreSentencesAtTheirPlace(yaml: String, expected: String) {
        let (_, problems) = ScriptFixtures.script(yaml)
        #expect(problems.contains { $0.description.contains(expected) }, "\(problems)")
    }

    @Test(arguments: [
        ("verdict: maybe", "injects.T1.expect.verdict: 'maybe' is not one of: accept, reject"),
        ("rules: [XX-99]", "'XX-99' is not a rule ID"),
        ("receive: [spoc be]", "injects.T1.expect.receive: 'spoc be' is not a node ID"),
        (
            "answer: {from: SPOC-FR, type: SPONTANEOUS}",
            "injects.T1.expect.answer.type: SPONTANEOUS does not answer a message"
        ),
        (
            "answer: {from: SPOC-FR, type: REPLY, by: soon}",
            "injects.T1.expect.answer.by: 'soon' is not a positive duration"
        ),
        (
            "answer: {from: SPOC-XX, type: REPLY}",
            "injects.T1.expect.answer.from: 'SPOC-XX' is not a node of this exercise"
        ),
        ("must_not: [{}]", "injects.T1.expect.must_not[0]: name at least one of: from, to, type"),
        ("must_not: [{via: x}]", "injects.T1.expect.must_not[0].via: unknown key"),
        ("hope: yes", "injects.T1.expect.hope: unknown key"),
        ("answer: {from: SPOC-FR, type: REFUSAL, ground: [RF-z]}", "'RF-z' is not a refusal ground (RF-a to RF-h)"),
        (
            "answer: {from: SPOC-FR, type: REPLY, ground: RF-a}",
            "a ground is for a REFUSAL; the type does not allow one"
        ),
    ])
    func expectationMistakesNameTheirKey(line: String, expected: String) {
        let (_, problems) = ScriptFixtures.script(
            """
            injects:
              - id: T1
                at: 1h
                send:
            \(ScriptFixtures.request)
                expect:
                  \(line)
            """
        )
        #expect(problems.contains { $0.description.contains(expected) }, "\(problems)")
        #expect(problems.allSatisfy { $0.line == 22 }, "\(problems)")
    }
}
