import EIXMTestKit
import Foundation
import Testing

@Suite("eixm scenario check and eixm audit score")
struct ScenarioCommandTests {
    @Test(
        "every built-in storyline checks clean against the built-in rules",
        arguments: ["tokyo", "indalo", "burgas", "asset-recovery"]
    )
    func storylinesCheckClean(name: String) async throws {
        let checked = try await CommandRunner.runProcess(["scenario", "check", name])
        #expect(checked.status == 0, "\(checked.output)")
        #expect(checked.output.contains("no problems"))
        #expect(checked.output.contains("accepted; rules:"))
    }

    @Test("an impossible expectation and a node not in the exercise are problems at FILE:LINE:COLUMN; exit 1")
    func problemsAtTheirPlace() async throws {
        try await TemporaryDirectory.with { folder in
            let file = folder.appendingPathComponent("story.yaml")
            try Data(
                """
                name: story
                duration: 5s
                nodes: [SPOC-BE, SPOC-FR, EUROPOL]
                injects:
                  - id: T1
                    at: 1h
                    send:
                      from: SPOC-BE
                      header: {case_id: C-1, to: [SPOC-FR], channel: SIENA, msg_type: REQUEST, legal_basis: DIR_2023_977, urgency: URGENT, urgency_reason: IMMINENT_RISK_INFO_LOSES_RELEVANCE, accessibility: DIRECT, crime_areas: [DRUG_TRAFFICKING], affected_ms: [BE, FR], purpose: CRIME_INVESTIGATION, language: FR, handling_codes: [H0], copy_to_europol: true}
                    expect:
                      verdict: reject
                      receive: [SPOC-DE]

                """.utf8
            ).write(to: file)
            let checked = try await CommandRunner.runProcess(["scenario", "check", file.path])
            #expect(checked.status == 1)
            #expect(
                checked.output.contains(
                    "\(file.path):11:16: injects.T1.expect.verdict: the rules accept it, not reject"
                ),
                "\(checked.output)"
            )
            #expect(
                checked.output.contains(
                    "\(file.path):12:16: injects.T1.expect.receive: the rules do not send it to SPOC-DE"
                )
            )
            #expect(
                checked.output.contains(
                    "\(file.path):12:16: injects.T1.expect.receive: SPOC-DE is not a node of this exercise"
                )
            )

            try Data(
                "name: story\nduration: 5s\nnodes: [SPOC-BE]\ninjects:\n  - {id: T1, at: 1h, revoke: SPOC-FR}\n".utf8
            ).write(to: file)
            let stranger = try await CommandRunner.runProcess(["scenario", "check", file.path])
            #expect(stranger.status == 1)
            #expect(
                stranger.output.contains(
                    "\(file.path):5:30: injects.T1.revoke: 'SPOC-FR' is not a node of this exercise"
                ),
                "\(stranger.output)"
            )
            #expect(!stranger.output.contains("Error:"))

            let missing = try await CommandRunner.runProcess([
                "scenario", "check", folder.appendingPathComponent("none.yaml").path,
            ])
            #expect(missing.status == 1)
            #expect(
                missing.output.contains(
                    "no such file, and not a built-in scenario (asset-recovery, burgas, indalo, tokyo, tokyo-outages)"
                )
            )
            let plain = try await CommandRunner.runProcess(["scenario", "check", "tokyo-outages"])
            #expect(plain.status == 1)
            #expect(plain.output.contains("no injects"))
        }
    }

    @Test("eixm audit score on a run's folder gives the run report's score, in JSON and as text")
    func scoreAgain() async throws {
        try await TemporaryDirectory.with { folder in
            let file = folder.appendingPathComponent("story.yaml")
            try Data(
                """
                name: story
                duration: 4s
                drain: 3s
                nodes: [SPOC-BE, SPOC-FR, EUROPOL]
                background: off
                router: {heartbeat: 200ms}
                behaviour: {reply_delay: {min: 10m, max: 30m}, refusal_share: 0, clarification_share: 0, delay_notice_share: 0}
                injects:
                  - id: T1
                    at: 1h
                    description: Belgium asks France.
                    send:
                      from: SPOC-BE
                      header: {case_id: C-1, to: [SPOC-FR], channel: SIENA, msg_type: REQUEST, legal_basis: DIR_2023_977, urgency: URGENT, urgency_reason: IMMINENT_RISK_INFO_LOSES_RELEVANCE, accessibility: DIRECT, crime_areas: [DRUG_TRAFFICKING], affected_ms: [BE, FR], purpose: CRIME_INVESTIGATION, language: FR, handling_codes: [H0], copy_to_europol: true}
                    expect:
                      verdict: accept
                      receive: [SPOC-FR, EUROPOL]
                      answer: {from: SPOC-FR, type: REPLY, by: deadline}
                lessons: [Whether France answers in time.]

                """.utf8
            ).write(to: file)
            let run = folder.appendingPathComponent("run")
            let exercise = try await CommandRunner.runProcess(["exercise", "--config", file.path, "--out", run.path])
            #expect(exercise.status == 0, "\(exercise.output)")
            #expect(exercise.output.contains("Injects of 'story': 4 expected action(s)"))
            let report = try JSONSerialization.jsonObject(
                with: Data(contentsOf: run.appendingPathComponent("report.json"))
            )
            let fromReport = try #require((report as? [String: Any])?["script"] as? [String: Any])
            let scored = try await CommandRunner.runProcess([
                "audit", "score", run.path, "--scenario", file.path, "--format", "json",
            ])
            #expect(scored.status == 0, "\(scored.output)")
            let again = try #require(try JSONSerialization.jsonObject(with: Data(scored.output.utf8)) as? [String: Any])
            #expect(NSDictionary(dictionary: again).isEqual(to: fromReport))
            #expect((again["injects"] as? [[String: Any]])?.first?["message_id"] != nil)
            let text = try await CommandRunner.runProcess(["audit", "score", run.path, "--scenario", file.path])
            #expect(text.output.contains("T1 at +1h: SPOC-BE sends a REQUEST on SIENA to SPOC-FR"))
            #expect(text.output.contains("What a planner learns from it:\n  - Whether France answers in time."))
            let html = try String(contentsOf: run.appendingPathComponent("report.html"), encoding: .utf8)
            #expect(html.contains("Injects and expected actions"))
            #expect(html.contains("A planner learns: Whether France answers in time."))
            #expect(try ReportCommandTests.undocumentedKeys(of: run.appendingPathComponent("report.json")) == [])
            let rebuilt = folder.appendingPathComponent("again.html")
            #expect(try await CommandRunner.runProcess(["report", run.path, "--out", rebuilt.path]).status == 0)
            #expect(try String(contentsOf: rebuilt, encoding: .utf8) == html)

            let wrong = try await CommandRunner.runProcess(["audit", "score", run.path, "--scenario", "nowhere"])
            #expect(wrong.status != 0)
            #expect(wrong.output.contains("nowhere: no such file, and not a built-in scenario"))
        }
    }
}
