import EIXMModel
import EIXMRules
import EIXMTestKit
import Foundation
import Testing

@Suite("Judging a case line by line")
struct HeaderCheckTests {
    @Test("request, reply, forward: each later line is judged against the earlier ones; bad lines are named")
    func multiLineCase() {
        var request = RuleFixtures.request()
        request.handlingCodes = HandlingCodes([.h0, .h2])
        var reply = RuleFixtures.answer(.reply, to: request)
        reply.createdAt = request.createdAt.adding(seconds: 3600)
        var forward = RuleFixtures.request(3)
        forward.messageType = .spontaneous
        forward.to = [.spoc(.de)]
        forward.forwardedFrom = reply.id
        forward.handlingCodes = HandlingCodes()
        forward.language = .english
        forward.createdAt = request.createdAt.adding(seconds: 7200)
        let lines =
            [request.jsonText(), reply.jsonText(), "", forward.jsonText(), #"{"id": 5}"#, "not json"]
            + [request.jsonText().replacingOccurrences(of: "SPOC-FR", with: "SPOC-XX")]

        var check = HeaderCheck(engine: RuleFixtures.engine)
        let all = lines.enumerated().map { check.check(line: $1, number: $0 + 1) }
        #expect(all.map(\.line) == [1, 2, 3, 4, 5, 6, 7])
        guard case .blank = all[2] else {
            Issue.record("the blank line was not reported as blank: \(all[2])")
            return
        }
        let outcomes = all.filter { if case .blank = $0 { false } else { true } }
        guard case .decided(_, _, let first) = outcomes[0], case .decided(_, _, let second) = outcomes[1],
            case .decided(_, _, let third) = outcomes[2]
        else {
            Issue.record("the first three lines were not judged: \(outcomes)")
            return
        }
        #expect(first.verdict == .accept)
        #expect(second.verdict == .accept)
        // The reply inherits nothing, but the forward of the reply is judged against the reply's H2 code.
        #expect(third.violates(.hc04))
        guard case .unreadable(_, let idError) = outcomes[3], case .unreadable(_, let jsonError) = outcomes[4],
            case .unknownNode(_, _, let nodeReason) = outcomes[5]
        else {
            Issue.record("the bad lines were not reported: \(outcomes)")
            return
        }
        #expect(idError.field == "id")
        #expect(jsonError.code == .malformedJSON)
        // A node the directory does not know is refused as the router refuses it, a decision rather than an error.
        #expect(nodeReason.contains("SPOC-XX (to)"))
        #expect(DecisionReport(outcomes[5]).jsonLine().contains(#""rules":["UNKNOWN_NODE"]"#))
        #expect(check.context.count == 2)
        let report = DecisionReport(outcomes[2]).jsonLine()
        #expect(report.contains(#""rules":["HC-04"]"#))
        #expect(report.contains(#""verdict":"reject""#))
    }

    @Test("the JSON decision carries obligations with kind, rule, seconds and time")
    func obligationJSON() throws {
        var check = HeaderCheck(engine: RuleFixtures.engine)
        let outcome = check.check(line: RuleFixtures.request().jsonText(), number: 1)
        let object = try #require(
            JSONSerialization.jsonObject(with: Data(DecisionReport(outcome).jsonLine().utf8)) as? [String: Any]
        )
        #expect(object["verdict"] as? String == "accept")
        #expect((object["rules"] as? [String])?.contains("DL-03") == true)
        let obligations = try #require(object["obligations"] as? [[String: Any]])
        let deadline = try #require(obligations.first { $0["kind"] as? String == "deadline" })
        #expect(deadline["rule"] as? String == "DL-03")
        #expect(deadline["seconds"] as? Int == 604_800)
        #expect(deadline["at"] as? String == "2026-12-06T08:00:00.000Z")
        let copy = try #require(obligations.first { $0["kind"] as? String == "copy" })
        #expect(copy["to"] as? String == "EUROPOL")
        #expect(copy["rule"] as? String == "EU-02")
        #expect((object["sources"] as? [String])?.count == (object["rules"] as? [String])?.count)
    }
}
