import EIXMAudit
import EIXMModel
import EIXMScenario
import Foundation
import Testing

/// Scoring against logs written by hand: each expected action is met, late or not met exactly as the records say.
struct ScriptScorerTests {
    let request = "11111111-1111-4111-8111-111111111111"
    let reply = "22222222-2222-4222-8222-222222222222"

    func score(_ expect: String, at: String = "1h", _ build: (inout LogBuilder) -> Void) throws -> ScriptScore {
        let (script, problems) = ScriptFixtures.script(
            """
            injects:
              - id: T1
                at: \(at)
                send:
            \(ScriptFixtures.request)
                expect:
            \(expect)
            """
        )
        #expect(problems.isEmpty, "\(problems)")
        var log = LogBuilder()
        build(&log)
        return ScriptScorer(script: script, scenario: "test", start: ScriptFixtures.start).score(log.records)
    }

    /// The request received at +1h and accepted (its arrival recorded in the decision, with the digests).
    func requestAccepted(_ log: inout LogBuilder, minute: Int = 60, id: String? = nil) {
        let id = id ?? request
        log.add(
            "accepted",
            minute: minute,
            id: id,
            sender: "SPOC-BE",
            to: ["SPOC-FR"],
            type: "REQUEST",
            caseID: "BE-1",
            rules: ["EU-02", "DL-01", "LOG-01"]
        )
    }

    @Test func verdictRulesAndReceiversMetWithTheirRecords() throws {
        var seqs: [String: UInt64] = [:]
        let result = try score(
            """
                  verdict: accept
                  rules: [EU-02, DL-01]
                  receive: [SPOC-FR, EUROPOL]
            """
        ) { log in
            requestAccepted(&log)
            log.add("delivered", minute: 60, id: request, sender: "SPOC-BE", node: "SPOC-FR")
            log.add("delivered", minute: 60, id: request, sender: "SPOC-BE", node: "EUROPOL", rules: ["EU-02"])
            seqs["FR"] = log.add("acknowledged", minute: 61, id: request, node: "SPOC-FR")
            seqs["EUROPOL"] = log.add("acknowledged", minute: 61, id: request, node: "EUROPOL")
        }
        let checks = result.injects[0].checks
        #expect(checks.map(\.outcome) == [.met, .met, .met, .met, .met])
        #expect(checks[0].records == [1])
        #expect(checks[3].records == [seqs["FR"]!])
        #expect(checks[4].records == [seqs["EUROPOL"]!])
        #expect(checks[4].observed.contains("EU-02 copy"))
        #expect(result.injects[0].messageId == request)
    }

    @Test func aWrongVerdictAMissingRuleAndAnUnacknowledgedDeliveryAreNotMet() throws {
        let result = try score(
            """
                  verdict: accept
                  rules: [CH-05]
                  receive: [SPOC-FR, EUROPOL]
            """
        ) { log in
            log.add(
                "received",
                minute: 60,
                id: request,
                sender: "SPOC-BE",
                to: ["SPOC-FR"],
                type: "REQUEST",
                caseID: "BE-1"
            )
            log.add(
                "rejected",
                minute: 60,
                id: request,
                sender: "SPOC-BE",
                type: "REQUEST",
                caseID: "BE-1",
                rules: ["LG-01"]
            )
        }
        #expect(result.injects[0].checks.map(\.outcome) == [.notMet, .notMet, .notMet, .notMet])
        #expect(result.injects[0].checks[0].observed == "rejected by LG-01")

        let queued = try score("      receive: [SPOC-FR]") { log in
            requestAccepted(&log)
            log.add("queued", minute: 60, id: request, sender: "SPOC-BE", node: "SPOC-FR")
        }
        #expect(queued.injects[0].checks[0].outcome == .notMet)
        #expect(queued.injects[0].checks[0].observed.contains("queued"))
        #expect(queued.injects[0].checks[0].records == [2])
    }

    @Test func anAnswerWithinItsDeadlineIsMetAfterItLateAndNoneNotMet() throws {
        let expect = "      answer: {from: SPOC-FR, type: [REPLY, REFUSAL], by: deadline}"
        let inTime = try score(expect) { log in
            requestAccepted(&log)
            log.add(
                "accepted",
                minute: 200,
                id: reply,
                sender: "SPOC-FR",
                type: "REPLY",
                caseID: "BE-1",
                inReplyTo: request
            )
            log.add("deadline_met", minute: 200, id: request, node: "SPOC-FR", rules: ["DL-01"])
        }
        #expect(inTime.injects[0].checks[0].outcome == .met)
        #expect(inTime.injects[0].checks[0].records == [2, 3])
        #expect(inTime.injects[0].checks[0].observed == "REPLY after 2h20m (simulated), within DL-01")

        let late = try score(expect) { log in
            requestAccepted(&log)
            log.add("deadline_breached", minute: 540, id: request, node: "SPOC-FR", rules: ["DL-01"])
            log.add(
                "accepted",
                minute: 600,
                id: reply,
                sender: "SPOC-FR",
                type: "REFUSAL",
                caseID: "BE-1",
                inReplyTo: request
            )
        }
        #expect(late.injects[0].checks[0].outcome == .late)

        let none = try score(expect) { log in
            requestAccepted(&log)
            // An answer from the wrong node, and France's own answer refused by the router.
            log.add(
                "accepted",
                minute: 100,
                id: reply,
                sender: "EUROPOL",
                type: "REPLY",
                caseID: "BE-1",
                inReplyTo: request
            )
            log.add(
                "rejected",
                minute: 120,
                id: reply,
                sender: "SPOC-FR",
                type: "REPLY",
                caseID: "BE-1",
                inReplyTo: request,
                rules: ["LG-01"]
            )
            log.add("deadline_breached", minute: 540, id: request, node: "SPOC-FR", rules: ["DL-01"])
        }
        let check = none.injects[0].checks[0]
        #expect(check.outcome == .notMet)
        #expect(check.observed.contains("EUROPOL answered instead"))
        #expect(check.observed.contains("rejected by LG-01"))
        #expect(check.records == [3, 4])
    }

    @Test func aGivenTimeLimitCountsFromTheRouterReceivingTheMessage() throws {
        let expect = "      answer: {from: SPOC-FR, type: REPLY, by: 2h}"
        let met = try score(expect) { log in
            requestAccepted(&log)
            log.add(
                "accepted",
                minute: 180,
                id: reply,
                sender: "SPOC-FR",
                type: "REPLY",
                caseID: "BE-1",
                inReplyTo: request
            )
        }
        #expect(met.injects[0].checks[0].outcome == .met)
        let late = try score(expect) { log in
            requestAccepted(&log)
            log.add(
                "accepted",
                minute: 181,
                id: reply,
                sender: "SPOC-FR",
                type: "REPLY",
                caseID: "BE-1",
                inReplyTo: request
            )
        }
        #expect(late.injects[0].checks[0].outcome == .late)
    }

    @Test func aHitNotificationIsMatchedByTheCaseAfterTheInject() throws {
        let expect = "      answer: {from: EUROPOL, type: HIT_NOTIFICATION}"
        let met = try score(expect) { log in
            log.add("accepted", minute: 10, id: "e0", sender: "EUROPOL", type: "HIT_NOTIFICATION", caseID: "BE-1")
            requestAccepted(&log)
            log.add("accepted", minute: 90, id: "e1", sender: "EUROPOL", type: "HIT_NOTIFICATION", caseID: "OTHER")
            log.add("accepted", minute: 95, id: "e2", sender: "EUROPOL", type: "HIT_NOTIFICATION", caseID: "BE-1")
        }
        #expect(met.injects[0].checks[0].outcome == .met)
        #expect(met.injects[0].checks[0].records == [4])
        let none = try score(expect) { log in
            log.add("accepted", minute: 10, id: "e0", sender: "EUROPOL", type: "HIT_NOTIFICATION", caseID: "BE-1")
            requestAccepted(&log)
        }
        #expect(none.injects[0].checks[0].outcome == .notMet)
    }

    @Test func aForbiddenFollowUpIsLookedForInTheCaseAfterTheInject() throws {
        let expect = """
                  must_not:
                    - {from: SPOC-FR, to: UK-NCA}
            """
        let clean = try score(expect) { log in
            log.add(
                "accepted",
                minute: 5,
                id: "x0",
                sender: "SPOC-FR",
                to: ["UK-NCA"],
                type: "SPONTANEOUS",
                caseID: "BE-1"
            )
            requestAccepted(&log)
            log.add(
                "accepted",
                minute: 90,
                id: "x1",
                sender: "SPOC-FR",
                to: ["UK-NCA"],
                type: "SPONTANEOUS",
                caseID: "OTHER"
            )
            log.add(
                "rejected",
                minute: 95,
                id: "x2",
                sender: "SPOC-FR",
                to: ["UK-NCA"],
                type: "SPONTANEOUS",
                caseID: "BE-1"
            )
        }
        #expect(clean.injects[0].checks[0].outcome == .met)
        let broken = try score(expect) { log in
            requestAccepted(&log)
            log.add(
                "accepted",
                minute: 95,
                id: "x2",
                sender: "SPOC-FR",
                to: ["UK-NCA"],
                type: "SPONTANEOUS",
                caseID: "BE-1"
            )
        }
        #expect(broken.injects[0].checks[0].outcome == .notMet)
        #expect(broken.injects[0].checks[0].records == [2])
    }

    @Test func theInjectIsTheFirstMatchingMessageAtOrAfterItsTimeAndIsClaimedOnce() throws {
        let (script, problems) = ScriptFixtures.script(
            """
            injects:
              - id: T1
                at: 1h
                send:
            \(ScriptFixtures.request)
                expect: {verdict: accept}
              - id: T2
                at: 1h
                send:
            \(ScriptFixtures.request)
                expect: {verdict: reject}
            """
        )
        #expect(problems.isEmpty, "\(problems)")
        var log = LogBuilder()
        // Before the inject's time, another case, another sender: none of them is the inject.
        log.add("received", minute: 30, id: "a", sender: "SPOC-BE", to: ["SPOC-FR"], type: "REQUEST", caseID: "BE-1")
        log.add("received", minute: 61, id: "b", sender: "SPOC-BE", to: ["SPOC-FR"], type: "REQUEST", caseID: "BE-2")
        log.add("received", minute: 61, id: "c", sender: "SPOC-FR", to: ["SPOC-FR"], type: "REQUEST", caseID: "BE-1")
        log.add("received", minute: 62, id: "d", sender: "SPOC-BE", to: ["SPOC-FR"], type: "REQUEST", caseID: "BE-1")
        log.add("accepted", minute: 62, id: "d", sender: "SPOC-BE", type: "REQUEST", caseID: "BE-1")
        log.add("received", minute: 63, id: "e", sender: "SPOC-BE", to: ["SPOC-FR"], type: "REQUEST", caseID: "BE-1")
        log.add("rejected", minute: 63, id: "e", sender: "SPOC-BE", type: "REQUEST", caseID: "BE-1", rules: ["LG-01"])
        let result = ScriptScorer(script: script, scenario: "test", start: ScriptFixtures.start).score(log.records)
        #expect(result.injects.map(\.messageId) == ["d", "e"])
        #expect(result.checks.map(\.outcome) == [.met, .met])
    }

    @Test func aMessageThatNeverCameFailsEveryExpectation() throws {
        let result = try score(
            """
                  verdict: accept
                  receive: [SPOC-FR]
                  answer: {from: SPOC-FR, type: REPLY}
            """
        ) { log in
            log.add(
                "received",
                minute: 10,
                id: request,
                sender: "SPOC-BE",
                to: ["SPOC-FR"],
                type: "REQUEST",
                caseID: "BE-1"
            )
        }
        #expect(result.injects[0].messageId == nil)
        #expect(result.checks.count == 3)
        #expect(result.checks.allSatisfy { $0.outcome == .notMet && $0.observed.contains("never reached") })
    }

    @Test func aLogWithReceivedRecordsScoresAsTheSameLogWrittenNow() throws {
        // Earlier versions wrote a `received` record (with the digests) before each decision; each message must
        // count once, found by its arrival, in either kind of log.
        func play(separateReceived: Bool) throws -> ScriptScore {
            try score("      verdict: accept") { log in
                for (minute, id, verdict) in [
                    (60, request, "accepted"), (61, "r2", "rejected"), (62, "r3", "accepted"),
                ] {
                    for event in separateReceived ? ["received", verdict] : [verdict] {
                        log.add(
                            event,
                            minute: minute,
                            id: id,
                            sender: "SPOC-BE",
                            to: ["SPOC-FR"],
                            type: "REQUEST",
                            caseID: "BE-1"
                        )
                    }
                }
                // Refused before it could be verified: a rejection without digests, not an arrival.
                log.add(
                    "rejected",
                    minute: 63,
                    id: "r4",
                    sender: "SPOC-BE",
                    type: "REQUEST",
                    caseID: "BE-1",
                    rules: ["SIGNATURE"],
                    digests: false
                )
            }
        }
        let old = try play(separateReceived: true)
        let now = try play(separateReceived: false)
        let belgium = try #require(now.nodes.first { $0.node == "SPOC-BE" })
        #expect(belgium.sent == 3)
        #expect(belgium.accepted == 2)
        #expect(belgium.rejected == 2)
        #expect(old.nodes == now.nodes)
        #expect(now.injects.map(\.messageId) == [request])
        #expect(old.injects.map(\.messageId) == [request])
        #expect(now.injects.first?.checks.map(\.outcome) == [.met])
        #expect(old.injects.first?.checks.map(\.outcome) == [.met])
    }

    @Test func eachNodeIsScoredOverTheWholeLog() throws {
        let result = try score("      verdict: accept") { log in
            requestAccepted(&log)
            log.add("delivered", minute: 60, id: request, sender: "SPOC-BE", node: "EUROPOL", rules: ["EU-02"])
            // Sent again after a reconnect: audited again (naming neither sender nor rule, as the router writes it).
            log.add("delivered", minute: 70, id: request, node: "EUROPOL")
            log.add("received", minute: 80, id: "r2", sender: "SPOC-BE", type: "SPONTANEOUS")
            log.add(
                "rejected",
                minute: 80,
                id: "r2",
                sender: "SPOC-BE",
                type: "SPONTANEOUS",
                rules: ["LG-01", "EU-02"]
            )
            log.add("deadline_met", minute: 90, id: request, node: "SPOC-FR", rules: ["DL-01"])
            log.add("deadline_breached", minute: 900, id: "q", node: "SPOC-FR", rules: ["DL-03"])
            log.add("deadline_met", minute: 900, id: "q2", node: "SPOC-FR", rules: ["DL-03"])
        }
        let belgium = try #require(result.nodes.first { $0.node == "SPOC-BE" })
        #expect(belgium.sent == 2)
        #expect(belgium.accepted == 1)
        #expect(belgium.rejected == 1)
        #expect(belgium.rejectionsByRule == ["LG-01": 1, "EU-02": 1])
        #expect(belgium.copiesMade == ["EU-02": 1])
        #expect(belgium.compliance == 0.5)
        let france = try #require(result.nodes.first { $0.node == "SPOC-FR" })
        #expect(france.deadlinesByClass["DL-01"] == ScriptScore.DeadlineCount(met: 1, breached: 0))
        #expect(france.deadlinesByClass["DL-03"] == ScriptScore.DeadlineCount(met: 1, breached: 1))
        #expect(france.answersInTime == 2)
        #expect(france.answersLate == 1)
        #expect(france.compliance == nil)
    }

    @Test func aRevocationIsShownByTheConnectionsRefusedAfterIt() throws {
        let (script, _) = ScriptFixtures.script(
            """
            injects:
              - {id: R1, at: 2h, revoke: UK-NCA}
            """
        )
        var log = LogBuilder()
        log.add("connection_refused", minute: 30, claimed: "UK-NCA")
        log.add("connection_refused", minute: 130, claimed: "SPOC-FR")
        log.add("connection_refused", minute: 131, rules: ["REVOKED"], claimed: "UK-NCA")
        let result = ScriptScorer(script: script, scenario: "test", start: ScriptFixtures.start).score(log.records)
        #expect(result.checks.map(\.outcome) == [.met])
        #expect(result.checks[0].records == [3])
        var quiet = LogBuilder()
        quiet.add("connection_refused", minute: 30, claimed: "UK-NCA")
        let none = ScriptScorer(script: script, scenario: "test", start: ScriptFixtures.start).score(quiet.records)
        #expect(none.checks.map(\.outcome) == [.notMet])
    }
}

extension ScriptScorerTests {
    @Test func aRefusalIsMetOnlyOnAGroundExpected() throws {
        let expect = "      answer: {from: SPOC-FR, type: [REPLY, REFUSAL], ground: [RF-a, RF-g]}"
        func refused(on rule: String) throws -> ScriptScore.Check {
            try score(expect) { log in
                requestAccepted(&log)
                log.add(
                    "accepted",
                    minute: 100,
                    id: reply,
                    sender: "SPOC-FR",
                    type: "REFUSAL",
                    caseID: "BE-1",
                    inReplyTo: request,
                    rules: [rule, "LOG-01"]
                )
            }.injects[0].checks[0]
        }
        let allowed = try refused(on: "RF-g")
        #expect(allowed.outcome == .met)
        #expect(allowed.observed.contains("on the ground RF-g"))
        let other = try refused(on: "RF-f")
        #expect(other.outcome == .notMet)
        #expect(other.observed.hasSuffix("on the ground RF-f, not RF-a or RF-g"))
        #expect(other.expected == "REPLY or REFUSAL from SPOC-FR (a refusal on RF-a or RF-g)")
    }
}
