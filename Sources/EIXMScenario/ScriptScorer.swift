import EIXMAudit
import EIXMModel
import EIXMRules
import Foundation

/// Scores a script against an audit log: finds each inject's message among the records the router wrote, checks
/// every expected action against the records of that message (its verdict, deliveries and receipts, answers,
/// deadline outcomes, later messages of its case), and counts each node's play over the whole run. It reads only
/// the log and the scenario, so an evaluator can score a run again afterwards (`eixm audit score`).
public struct ScriptScorer {
    public let script: Script
    public let scenario: String
    /// The exercise's simulated start: inject times count from it.
    public let start: Timestamp

    public init(script: Script, scenario: String, start: Timestamp) {
        self.script = script
        self.scenario = scenario
        self.start = start
    }

    /// A message's records, by kind.
    private struct Trail {
        var verdict: AuditRecord?
        var deliveries: [AuditRecord] = []
        var acknowledgements: [AuditRecord] = []
        var deadline: AuditRecord?
    }

    /// A record read back, with its simulated time.
    private struct Timed {
        let record: AuditRecord
        let time: Timestamp
    }

    public func score(_ records: [AuditRecord]) -> ScriptScore {
        var received: [Timed] = []
        var trails: [String: Trail] = [:]
        var answers: [String: [Timed]] = [:]
        var refusedAnswers: [String: [AuditRecord]] = [:]
        var acceptedInCase: [String: [Timed]] = [:]
        var refusedConnections: [Timed] = []
        var nodes: [String: ScriptScore.NodeScore] = [:]
        var copies: Set<String> = []
        for record in records {
            let time = Timestamp(rfc3339: record.simulatedTime) ?? start
            let id = record.messageID ?? ""
            switch record.event {
            case "received":
                received.append(Timed(record: record, time: time))
                if let sender = record.sender { nodes[sender, default: .init(node: sender)].sent += 1 }
            case "accepted", "rejected":
                trails[id, default: Trail()].verdict = record
                let accepted = record.event == "accepted"
                if let sender = record.sender {
                    if accepted {
                        nodes[sender, default: .init(node: sender)].accepted += 1
                    } else {
                        nodes[sender, default: .init(node: sender)].rejected += 1
                        for rule in record.rules ?? [] {
                            nodes[sender, default: .init(node: sender)].rejectionsByRule[rule, default: 0] += 1
                        }
                    }
                }
                if let request = record.inReplyTo {
                    if accepted {
                        answers[request, default: []].append(Timed(record: record, time: time))
                    } else {
                        refusedAnswers[request, default: []].append(record)
                    }
                }
                if accepted, let caseID = record.caseID {
                    acceptedInCase[caseID, default: []].append(Timed(record: record, time: time))
                }
            case "delivered", "queued":
                trails[id, default: Trail()].deliveries.append(record)
                // A copy the rules made, counted once per (message, recipient) for the sender.
                if let rule = record.rules?.first, let sender = record.sender, let node = record.node,
                    copies.insert("\(id) \(node)").inserted
                {
                    nodes[sender, default: .init(node: sender)].copiesMade[rule, default: 0] += 1
                }
            case "acknowledged":
                trails[id, default: Trail()].acknowledgements.append(record)
            case "deadline_met", "deadline_breached":
                if trails[id]?.deadline == nil { trails[id, default: Trail()].deadline = record }
                if let node = record.node, let rule = record.rules?.first {
                    if record.event == "deadline_met" {
                        nodes[node, default: .init(node: node)].deadlinesByClass[rule, default: .init()].met += 1
                    } else {
                        nodes[node, default: .init(node: node)].deadlinesByClass[rule, default: .init()].breached += 1
                    }
                }
            case "connection_refused":
                refusedConnections.append(Timed(record: record, time: time))
            default:
                break
            }
        }
        var claimed: Set<UInt64> = []
        var sent: [String: String] = [:]
        var scores: [ScriptScore.InjectScore] = []
        for inject in script.injects {
            let at = Timestamp(millisecondsSinceEpoch: start.millisecondsSinceEpoch + inject.atMilliseconds)
            var score = ScriptScore.InjectScore(
                name: inject.name,
                at: inject.atText,
                summary: inject.summary,
                description: inject.description,
                checks: []
            )
            switch inject.action {
            case .send(let from, let header, _, let answering):
                let message = received.first { candidate in
                    let record = candidate.record
                    return !claimed.contains(record.seq) && candidate.time.adding(seconds: 60) >= at
                        && record.sender == from.rawValue && record.messageType == header.messageType.rawValue
                        && record.caseID == header.caseID
                        && Set(record.recipients ?? []) == Set(header.recipients.map(\.rawValue))
                        && (answering.map { sent[$0] != nil && record.inReplyTo == sent[$0] } ?? true)
                }
                if let message {
                    claimed.insert(message.record.seq)
                    score.messageId = message.record.messageID
                    score.receivedAt = message.record.simulatedTime
                    if !inject.name.isEmpty, let id = message.record.messageID { sent[inject.name] = id }
                }
                score.checks = checks(
                    of: inject.expectation,
                    message: message,
                    caseID: header.caseID,
                    trail: message.flatMap { $0.record.messageID.flatMap { trails[$0] } } ?? Trail(),
                    answers: answers,
                    refusedAnswers: refusedAnswers,
                    acceptedInCase: acceptedInCase
                )
            case .revoke(let node):
                let refused = refusedConnections.filter { candidate in
                    candidate.time >= at && (candidate.record.claimed ?? candidate.record.certified) == node.rawValue
                }
                score.checks = [
                    ScriptScore.Check(
                        expected: "\(node)'s connections refused",
                        outcome: refused.isEmpty ? .notMet : .met,
                        observed: refused.isEmpty
                            ? "no connection of \(node) was refused after the revocation"
                            : "\(refused.count) connection(s) refused",
                        records: refused.prefix(10).map(\.record.seq)
                    )
                ]
            case .offline, .mode:
                break
            }
            scores.append(score)
        }
        return ScriptScore(
            scenario: scenario,
            injects: scores,
            nodes: nodes.values.sorted { $0.node < $1.node },
            lessons: script.lessons
        )
    }

    private func checks(
        of expectation: Expectation,
        message: Timed?,
        caseID: String?,
        trail: Trail,
        answers: [String: [Timed]],
        refusedAnswers: [String: [AuditRecord]],
        acceptedInCase: [String: [Timed]]
    ) -> [ScriptScore.Check] {
        var checks: [ScriptScore.Check] = []
        func add(_ expected: String, _ met: Bool, _ observed: String, _ records: [UInt64]) {
            checks.append(
                .init(expected: expected, outcome: met ? .met : .notMet, observed: observed, records: records)
            )
        }
        guard let message, let id = message.record.messageID else {
            for expected in describe(expectation) {
                add(expected, false, "the inject's message never reached the router", [])
            }
            return checks
        }
        let verdict = trail.verdict
        let verdictText =
            verdict.map { record in
                record.event == "accepted"
                    ? "accepted" : "rejected by \((record.rules ?? []).joined(separator: ", "))"
            } ?? "no verdict in the log"
        if let expected = expectation.verdict {
            let got = verdict.map { $0.event == "accepted" ? Decision.Verdict.accept : .reject }
            add("router's verdict: \(expected.rawValue)", got == expected, verdictText, verdict.map { [$0.seq] } ?? [])
        }
        for rule in expectation.rules {
            let fired = verdict?.rules ?? []
            add(
                "rule \(rule) applied",
                fired.contains(rule),
                fired.isEmpty ? verdictText : "rules of the decision: \(fired.joined(separator: ", "))",
                verdict.map { [$0.seq] } ?? []
            )
        }
        for node in expectation.receivers {
            let acknowledged = trail.acknowledgements.first { $0.node == node.rawValue }
            let delivered = trail.deliveries.filter { $0.node == node.rawValue }
            let how = delivered.first?.rules?.first.map { "as the \($0) copy" } ?? "as an addressee"
            if let acknowledged {
                add("\(node) receives it", true, "delivered \(how), receipt signed", [acknowledged.seq])
            } else if let first = delivered.first {
                let kind = delivered.contains { $0.event == "delivered" } ? "delivered" : "queued (offline)"
                add("\(node) receives it", false, "\(kind) \(how), never acknowledged", [first.seq])
            } else {
                add("\(node) receives it", false, "not delivered to \(node)", [])
            }
        }
        if let answer = expectation.answer {
            checks.append(
                check(
                    answer,
                    id: id,
                    message: message,
                    caseID: caseID,
                    trail: trail,
                    answers: answers,
                    refused: refusedAnswers[id] ?? [],
                    acceptedInCase: acceptedInCase
                )
            )
        }
        for forbidden in expectation.forbidden {
            let found = (caseID.flatMap { acceptedInCase[$0] } ?? []).filter { candidate in
                let record = candidate.record
                return record.seq > message.record.seq && record.messageID != id
                    && forbidden.from.map { record.sender == $0.rawValue } ?? true
                    && forbidden.to.map { (record.recipients ?? []).contains($0.rawValue) } ?? true
                    && forbidden.type.map { record.messageType == $0.rawValue } ?? true
            }
            add(
                forbidden.summary,
                found.isEmpty,
                found.isEmpty ? "none" : "\(found.count) accepted",
                found.map(\.record.seq)
            )
        }
        return checks
    }

    private func check(
        _ answer: Expectation.Answer,
        id: String,
        message: Timed,
        caseID: String?,
        trail: Trail,
        answers: [String: [Timed]],
        refused: [AuditRecord],
        acceptedInCase: [String: [Timed]]
    ) -> ScriptScore.Check {
        let types = answer.types.map(\.rawValue)
        let expected = "\(types.joined(separator: " or ")) from \(answer.from)" + due(answer.due)
        var candidates = (answers[id] ?? []).filter { types.contains($0.record.messageType ?? "") }
        if answer.types.contains(.hitNotification), let caseID {
            candidates += (acceptedInCase[caseID] ?? []).filter {
                $0.record.messageType == MessageType.hitNotification.rawValue && $0.record.seq > message.record.seq
            }
        }
        let found = candidates.filter { $0.record.sender == answer.from.rawValue }.min { $0.record.seq < $1.record.seq }
        guard let found else {
            let refusals = refused.filter { $0.sender == answer.from.rawValue }
            var observed = "no \(types.joined(separator: " or ")) from \(answer.from)"
            if let other = candidates.first {
                observed += "; \(other.record.sender ?? "another node") answered instead"
            }
            if let first = refusals.first {
                observed += "; its answer was rejected by \((first.rules ?? []).joined(separator: ", "))"
            }
            if let deadline = trail.deadline, deadline.event == "deadline_breached" {
                observed += "; deadline breached"
            }
            return .init(
                expected: expected,
                outcome: .notMet,
                observed: observed,
                records: refusals.map(\.seq) + (trail.deadline.map { [$0.seq] } ?? [])
            )
        }
        let after = found.time.millisecondsSinceEpoch - message.time.millisecondsSinceEpoch
        var observed = "\(found.record.messageType ?? "answer") after \(Self.elapsed(after)) (simulated)"
        var records = [found.record.seq]
        var outcome = ScriptScore.Outcome.met
        switch answer.due {
        case .deadline:
            if let deadline = trail.deadline {
                records.append(deadline.seq)
                let rule = deadline.rules?.first ?? "deadline"
                if deadline.event == "deadline_met" {
                    observed += ", within \(rule)"
                } else {
                    outcome = .late
                    observed += ", \(rule) breached"
                }
            } else {
                observed += " (no deadline was set)"
            }
        case .within(let milliseconds):
            if after > milliseconds { outcome = .late }
        case .anyTime:
            break
        }
        return .init(expected: expected, outcome: outcome, observed: observed, records: records)
    }

    /// A simulated span to the minute, e.g. `2h19m` or `45m`.
    static func elapsed(_ milliseconds: Int64) -> String {
        let minutes = Int((Double(max(milliseconds, 0)) / 60_000).rounded())
        return minutes < 60 ? "\(minutes)m" : "\(minutes / 60)h\(String(format: "%02d", minutes % 60))m"
    }

    private func due(_ due: Expectation.Answer.Due) -> String {
        switch due {
        case .deadline: " within the deadline"
        case .within(let milliseconds): " within \(DurationText.text(milliseconds: milliseconds))"
        case .anyTime: ""
        }
    }

    /// The expectations as sentences, for a message that never came.
    private func describe(_ expectation: Expectation) -> [String] {
        var lines: [String] = []
        if let verdict = expectation.verdict { lines.append("router's verdict: \(verdict.rawValue)") }
        lines += expectation.rules.map { "rule \($0) applied" }
        lines += expectation.receivers.map { "\($0) receives it" }
        if let answer = expectation.answer {
            lines.append(
                "\(answer.types.map(\.rawValue).joined(separator: " or ")) from \(answer.from)" + due(answer.due)
            )
        }
        lines += expectation.forbidden.map(\.summary)
        return lines
    }
}
