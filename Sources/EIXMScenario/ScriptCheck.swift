import EIXMModel
import EIXMRules
import Foundation

/// A scenario judged before it is run: every message inject goes through the rules engine in order (with the case
/// context of the injects before it and the policy mode of its time), and each expectation the rules make impossible
/// is a problem at its place in the file.
public struct ScriptCheck {
    /// What the rules make of one message inject.
    public struct Judged: Sendable {
        public let inject: Inject
        public let decision: Decision
        /// Every node the router would send it to: the addressees, then the copies and notifications.
        public let targets: [(node: NodeID, rule: RuleID?)]
        public let deadline: (rule: RuleID, at: Timestamp)?
    }

    public let script: Script
    public let rules: RulesConfiguration
    public let nodes: [NodeID]
    public let start: Timestamp
    public let file: String

    public init(script: Script, rules: RulesConfiguration, nodes: [NodeID], start: Timestamp, file: String) {
        self.script = script
        self.rules = rules
        self.nodes = nodes
        self.start = start
        self.file = file
    }

    /// Judges every inject; returns what each message triggers and the inconsistencies found.
    public func run() -> (judged: [Judged], problems: [ConfigurationProblem]) {
        var configuration = rules
        var engine = RulesEngine(configuration: configuration)
        var context = CaseContext()
        var ids: [String: UUID] = [:]
        var judged: [Judged] = []
        var problems: [ConfigurationProblem] = []
        var generator = SeededGenerator(seed: 977)
        func problem(_ place: Place, _ key: String, _ message: String) {
            problems.append(
                ConfigurationProblem(file: file, line: place.line, column: place.column, key: key, message: message)
            )
        }
        for inject in script.injects {
            let at = inject.time(from: start)
            switch inject.action {
            case .mode(let mode):
                configuration.mode = mode
                engine = RulesEngine(configuration: configuration)
                continue
            case .offline, .revoke:
                continue
            case .send(let from, var header, _, let answering):
                header.id = generator.uuid()
                header.sender = from
                header.createdAt = at
                if let answering { header.inReplyTo = ids[answering] }
                ids[inject.name] = header.id
                let decision = engine.decide(header, receivedAt: at, context: context)
                context.record(header, decision: decision, receivedAt: at)
                var targets: [(node: NodeID, rule: RuleID?)] = header.recipients.map { ($0, nil) }
                for obligation in decision.obligations where obligation.kind == .copy || obligation.kind == .notify {
                    if let node = obligation.to, node != from, !targets.contains(where: { $0.node == node }) {
                        targets.append((node, obligation.rule))
                    }
                }
                let deadline = decision.obligations.first { $0.kind == .deadline && $0.at != nil }
                let result = Judged(
                    inject: inject,
                    decision: decision,
                    targets: targets,
                    deadline: deadline.map { ($0.rule, $0.at!) }
                )
                judged.append(result)
                inconsistencies(of: result, header: header, problem)
            }
        }
        return (judged, problems)
    }

    private func inconsistencies(
        of judged: Judged,
        header: Header,
        _ problem: (Place, String, String) -> Void
    ) {
        let expectation = judged.inject.expectation
        let key = "injects.\(judged.inject.name).expect"
        let decision = judged.decision
        let firing = Set(decision.rules.map(\.rawValue))
        let verdict = decision.verdict
        let why = decision.decisiveFirings.map { "\($0.rule) (\($0.reason))" }.joined(separator: "; ")
        if let expected = expectation.verdict, expected != verdict {
            problem(
                expectation.verdictPlace,
                "\(key).verdict",
                "the rules \(verdict == .accept ? "accept" : "reject") it, not \(expected.rawValue)\(why.isEmpty ? "" : ": \(why)")"
            )
        }
        for rule in expectation.rules where !firing.contains(rule) {
            let fired = decision.rules.map(\.rawValue).joined(separator: ", ")
            problem(
                expectation.rulesPlace,
                "\(key).rules",
                "\(rule) does not apply to this message (the rules \(verdict == .accept ? "applied" : "rejected it by"): \(fired.isEmpty ? "none" : fired))"
            )
        }
        let targets = Set(judged.targets.map(\.node))
        for node in expectation.receivers where verdict == .reject || !targets.contains(node) {
            problem(
                expectation.receiversPlace,
                "\(key).receive",
                verdict == .reject
                    ? "\(node) cannot receive a message the rules reject"
                    : "the rules do not send it to \(node) (they send it to \(judged.targets.map(\.node.rawValue).joined(separator: ", ")))"
            )
        }
        for node in expectation.receivers where !nodes.contains(node) {
            problem(expectation.receiversPlace, "\(key).receive", "\(node) is not a node of this exercise")
        }
        if let answer = expectation.answer {
            let byHit = answer.types == [.hitNotification]
            if verdict == .reject {
                problem(answer.place, "\(key).answer", "nobody can answer a message the rules reject")
            } else if !targets.contains(answer.from) {
                problem(
                    answer.place,
                    "\(key).answer.from",
                    "the rules do not send the message to \(answer.from), so it cannot \(byHit ? "match it" : "answer it")"
                )
            }
            if answer.due == .deadline, judged.deadline == nil, verdict == .accept {
                problem(answer.place, "\(key).answer.by", "the rules set no deadline for this message")
            }
            if answer.types.contains(.hitNotification), header.caseID == nil {
                problem(
                    answer.place,
                    "\(key).answer.type",
                    "a hit notification is matched by the case: give the header a case_id"
                )
            }
        }
        if !expectation.forbidden.isEmpty, header.caseID == nil {
            problem(
                expectation.forbidden[0].place,
                "\(key).must_not",
                "a follow-up is looked for in the inject's case: give the header a case_id"
            )
        }
    }

    /// The judgement of every message inject, as text.
    public static func text(_ judged: [Judged]) -> String {
        judged.map { item in
            let inject = item.inject
            let at = inject.atText
            var lines = ["\(inject.name) at +\(at): \(inject.summary)"]
            let decision = item.decision
            if decision.verdict == .accept {
                lines.append("  accepted; rules: \(decision.rules.map(\.rawValue).joined(separator: ", "))")
                lines.append(
                    "  goes to: "
                        + item.targets.map { target in
                            target.rule.map { "\(target.node) (\($0))" } ?? target.node.rawValue
                        }.joined(separator: ", ")
                )
                if let deadline = item.deadline { lines.append("  deadline: \(deadline.rule) at \(deadline.at)") }
            } else {
                lines.append("  rejected:")
                lines += decision.decisiveFirings.map { "    \($0.rule): \($0.reason)" }
            }
            return lines.joined(separator: "\n")
        }.joined(separator: "\n")
    }
}
