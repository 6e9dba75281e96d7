import EIXMAudit
import EIXMExercise
import EIXMModel
import EIXMNodes
import EIXMRules
import EIXMScenario
import EIXMTestKit
import Foundation
import Logging
import Testing

@Suite("Scripted exercises", .timeLimit(.minutes(3)))
struct ScriptedExerciseTests {
    static let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    /// A short storyline: no statistical traffic, an urgent request that France answers within the hour, a transfer
    /// to the UK without France's consent, the same Interpol request before and after SIENA becomes mandatory, and
    /// the UK's certificate revoked. One real second is 20 simulated minutes, so that the mode change falls 4.5 s after
    /// T3 and before T4: at 1.5 s (3600) a fresh-clone CI judged T3 after it, with every test of the suite starting
    /// at once on two cores (this test took 43 s for its 13). Heartbeats of 500 ms, as in the fault tests.
    static let storyline = """
        name: short-story
        seed: 7
        time_scale: 1200
        duration: 24s
        drain: 5s
        mode: DIR_2023_977_TRANSITIONAL
        nodes: [SPOC-BE, SPOC-FR, EUROPOL, UK-NCA]
        background: off
        router: {heartbeat: 500ms}
        behaviour:
          reply_delay: {min: 20m, max: 40m}
          refusal_share: 0
          clarification_share: 0
          delay_notice_share: 0
          hit_share: 0
        injects:
          - id: T1
            at: 30m
            send:
              from: SPOC-BE
              header: {case_id: STORY-1, to: [SPOC-FR], channel: SIENA, msg_type: REQUEST, legal_basis: DIR_2023_977, urgency: URGENT, urgency_reason: IMMINENT_RISK_INFO_LOSES_RELEVANCE, accessibility: DIRECT, crime_areas: [DRUG_TRAFFICKING, ORGANISED_CRIME], affected_ms: [BE, FR], purpose: CRIME_INVESTIGATION, language: FR, handling_codes: [H0], copy_to_europol: true}
            expect:
              verdict: accept
              rules: [EU-02, DL-01]
              receive: [SPOC-FR, EUROPOL]
              answer: {from: SPOC-FR, type: [REPLY, REFUSAL], by: deadline}
              must_not: [{from: SPOC-FR, to: UK-NCA}]
          - id: T2
            at: 1h
            send:
              from: SPOC-BE
              header: {case_id: STORY-1, to: [UK-NCA], channel: INTERPOL, msg_type: SPONTANEOUS, legal_basis: NATIONAL, crime_areas: [DRUG_TRAFFICKING], affected_ms: [BE, FR], purpose: CRIME_INVESTIGATION, language: EN, contains_personal_data: true, data_subject_categories: [SUSPECT], originator_ms: FR}
            expect: {verdict: reject, rules: [TC-01]}
          - id: T3
            at: 2h
            send:
              from: SPOC-BE
              header: {case_id: STORY-2, to: [SPOC-FR], channel: INTERPOL, msg_type: REQUEST, legal_basis: DIR_2023_977, urgency: NON_URGENT, accessibility: INDIRECT, crime_areas: [SIMPLE_THEFT], affected_ms: [BE, FR], purpose: CRIME_INVESTIGATION, language: FR, handling_codes: [H0]}
            expect: {verdict: accept, rules: [CH-01], receive: [SPOC-FR]}
          - {id: M, at: 210m, mode: DIR_2023_977_FULL}
          - id: T4
            at: 5h
            send:
              from: SPOC-BE
              header: {case_id: STORY-3, to: [SPOC-FR], channel: INTERPOL, msg_type: REQUEST, legal_basis: DIR_2023_977, urgency: NON_URGENT, accessibility: INDIRECT, crime_areas: [SIMPLE_THEFT], affected_ms: [BE, FR], purpose: CRIME_INVESTIGATION, language: FR, handling_codes: [H0]}
            expect: {verdict: reject, rules: [CH-01]}
          - {id: R, at: 6h, revoke: UK-NCA}
        """

    @Test(
        "a short storyline over mutual TLS: each inject's score agrees with the audit log read on its own, the mode change and the revocation happen at the router, and scoring the log again gives the report's score"
    )
    func storylineScoredFromItsLog() async throws {
        let configuration = try ExerciseConfiguration.load(yaml: Self.storyline, file: "story.yaml")
        try await TemporaryDirectory.with { folder in
            let (report, _, _) = try await ExerciseRunner(configuration: configuration, logger: Self.quiet)
                .run(folder: folder)
            let score = try #require(report.script)
            let (records, unreadable) = try AuditReader.read(directory: folder.appendingPathComponent("audit"))
            #expect(unreadable.isEmpty)
            let bySeq = Dictionary(records.map { ($0.seq, $0) }, uniquingKeysWith: { first, _ in first })

            // The log, read here: the scripted messages by their case, what the router did with each.
            func received(_ caseID: String, to node: String) -> AuditRecord? {
                records.first {
                    ($0.event == "accepted" || $0.event == "rejected") && $0.headerDigest != nil && $0.caseID == caseID
                        && $0.recipients == [node] && $0.sender == "SPOC-BE"
                }
            }
            func verdict(of id: String?) -> AuditRecord? {
                records.first { ($0.event == "accepted" || $0.event == "rejected") && $0.messageID == id }
            }
            let t1 = try #require(received("STORY-1", to: "SPOC-FR"))
            let t2 = try #require(received("STORY-1", to: "UK-NCA"))
            let t3 = try #require(received("STORY-2", to: "SPOC-FR"))
            let t4 = try #require(received("STORY-3", to: "SPOC-FR"))
            #expect(score.injects.map(\.messageId) == [t1, t2, t3].map(\.messageID) + [nil, t4.messageID, nil])
            #expect(verdict(of: t1.messageID)?.event == "accepted")
            #expect(verdict(of: t2.messageID)?.rules == ["TC-01"])
            #expect(verdict(of: t3.messageID)?.event == "accepted")
            // The mode changed between T3 and T4: the same Interpol request, accepted then refused by CH-01.
            #expect(verdict(of: t4.messageID).map { $0.event == "rejected" && $0.rules == ["CH-01"] } == true)
            let acknowledged = Set(
                records.filter { $0.event == "acknowledged" && $0.messageID == t1.messageID }.compactMap(\.node)
            )
            #expect(acknowledged == ["SPOC-FR", "EUROPOL"])
            let answer = try #require(
                records.first { $0.event == "accepted" && $0.inReplyTo == t1.messageID && $0.sender == "SPOC-FR" }
            )
            let deadline = records.first { $0.event.hasPrefix("deadline_") && $0.messageID == t1.messageID }
            let revokeTime = Timestamp(rfc3339: "2026-11-29T14:00:00Z")!
            let refused = records.filter {
                $0.event == "connection_refused" && $0.claimed == "UK-NCA" && $0.rules == ["REVOKED"]
                    && Timestamp(rfc3339: $0.simulatedTime)! >= revokeTime
            }
            #expect(!refused.isEmpty, "the revoked UK-NCA's connections are refused at the handshake and audited")

            // Every check the score calls met cites records that show it; the answer's outcome is the deadline's.
            for inject in score.injects {
                for check in inject.checks {
                    for seq in check.records {
                        #expect(bySeq[seq] != nil, "\(inject.name): record \(seq) is in the log")
                    }
                }
            }
            let t1Checks = score.injects[0].checks
            #expect(t1Checks.count == 7)
            #expect(t1Checks[0].records == [verdict(of: t1.messageID)!.seq])
            #expect(t1Checks[5].records.first == answer.seq)
            #expect(t1Checks[5].outcome == (deadline?.event == "deadline_met" ? .met : .late))
            #expect(t1Checks[6].outcome == .met)
            #expect(score.injects[1].checks.map(\.outcome) == [.met, .met])
            #expect(score.injects[2].checks.map(\.outcome) == [.met, .met, .met])
            #expect(score.injects[4].checks.map(\.outcome) == [.met, .met])
            #expect(score.injects[5].checks.map(\.outcome) == [.met])
            #expect(score.injects[5].checks[0].records.contains(refused[0].seq))

            // Scored again from the folder alone, as `eixm audit score` does: the same score.
            let again = ScriptScorer(
                script: configuration.script,
                scenario: configuration.name,
                start: configuration.start
            )
            .score(records)
            #expect(again == score)
            // Per node, from the log read here.
            let belgium = try #require(score.nodes.first { $0.node == "SPOC-BE" })
            #expect(
                belgium.sent
                    == records.filter { ["accepted", "rejected"].contains($0.event) && $0.sender == "SPOC-BE" }.count
            )
            #expect(belgium.rejectionsByRule == ["TC-01": 1, "CH-01": 1])
        }
    }

    @Test func anInjectAfterTheTrafficEndsIsAProblemAndBackgroundOffSilencesTheNodes() throws {
        #expect {
            try ExerciseConfiguration.load(
                yaml: "name: x\nduration: 2s\nnodes: [SPOC-BE]\ninjects:\n  - {id: R, at: 3h, revoke: SPOC-BE}\n",
                file: "x.yaml"
            )
        } throws: { error in
            "\(error)".contains("x.yaml:5:5: injects.R.at: +3h is after the traffic ends (+2h simulated")
        }
        let quiet = try ExerciseConfiguration.load(
            yaml:
                "name: x\nduration: 2s\nnodes: [SPOC-BE, SPOC-FR]\nbackground: off\noverrides: {SPOC-FR: {requests_per_hour: 9}}\n",
            file: "x.yaml"
        )
        for node in quiet.nodes {
            #expect(quiet.behaviour(of: node).requestsPerHour == 0)
            #expect(quiet.behaviour(of: node).spontaneousPerHour == 0)
        }
        let offline = try ExerciseConfiguration.load(
            yaml:
                "name: x\nduration: 9s\nnodes: [SPOC-BE]\ninjects:\n  - {id: O, at: 1h, offline: {node: SPOC-BE, for: 2h}}\n",
            file: "x.yaml"
        )
        #expect(
            offline.faults == [
                Fault(kind: .partition, nodes: [.spoc(.be)], atMilliseconds: 3_600_000, lengthMilliseconds: 7_200_000)
            ]
        )
    }
}
