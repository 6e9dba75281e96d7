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

    /// What finds an inject's message among the arrivals (`AuditRecord.isArrival`) before its time and addressees are compared.
    private struct Signature: Hashable {
        let sender: String?
        let type: String?
        let caseID: String?
    }

    /// Scores a log held in memory.
    public func score(_ records: [AuditRecord]) -> ScriptScore {
        score { body in records.forEach(body) }
    }

    /// Scores a log that `read` passes, record by record in order, to the body it is given; it is read twice. The
    /// first pass counts each node's play and finds each inject's message, the second keeps only the records about
    /// those messages, their answers and their cases: memory follows the script, not the log.
    public func score(reading read: ((AuditRecord) -> Void) throws -> Void) rethrows -> ScriptScore {
        let signatures = Set(
            script.injects.compactMap { inject in
                inject.message.map {
                    Signature(sender: $0.from.rawValue, type: $0.header.messageType.rawValue, caseID: $0.header.caseID)
                }
            }
        )
        var nodes: [String: ScriptScore.NodeScore] = [:]
        var candidates: [Timed] = []
        try read { record in
            Self.count(record, into: &nodes)
            if record.isArrival,
                signatures.contains(Signature(sender: record.sender, type: record.messageType, caseID: record.caseID))
            {
                candidates.append(Timed(record: record, time: time(of: record)))
            }
        }
        // Each inject's message: the first received at or after its time (a minute's grace for the clocks) from
        // its sender, of its type, case and addressees, answering the right message, not claimed by another inject.
        var messages: [String: Timed] = [:]
        var sent: [String: String] = [:]
        var claimed: Set<UInt64> = []
        for inject in script.injects {
            guard case .send(let from, let header, _, let answering) = inject.action else { continue }
            let at = inject.time(from: start)
            let recipients = Set(header.recipients.map(\.rawValue))
            let message = candidates.first { candidate in
                let record = candidate.record
                return !claimed.contains(record.seq) && candidate.time.adding(seconds: 60) >= at
                    && record.sender == from.rawValue && record.messageType == header.messageType.rawValue
                    && record.caseID == header.caseID && Set(record.recipients ?? []) == recipients
                    && (answering.map { sent[$0] != nil && record.inReplyTo == sent[$0] } ?? true)
            }
            guard let message, let id = message.record.messageID else { continue }
            claimed.insert(message.record.seq)
            messages[inject.name] = message
            sent[inject.name] = id
        }
        let ids = Set(sent.values)
        let cases = Set(script.injects.compactMap { $0.message?.header.caseID })
        let revoked = Set(
            script.injects.compactMap { inject -> String? in
                if case .revoke(let node) = inject.action { return node.rawValue }
                return nil
            }
        )
        var trails: [String: Trail] = [:]
        var answers: [String: [Timed]] = [:]
        var refusedAnswers: [String: [AuditRecord]] = [:]
        var acceptedInCase: [String: [Timed]] = [:]
        var refusedConnections: [Timed] = []
        try read { record in
            let id = record.messageID ?? ""
            switch record.event {
            case "accepted", "rejected":
                let accepted = record.event == "accepted"
                if ids.contains(id) { trails[id, default: Trail()].verdict = record }
                if let request = record.inReplyTo, ids.contains(request) {
                    if accepted {
                        answers[request, default: []].append(Timed(record: record, time: time(of: record)))
                    } else {
                        refusedAnswers[request, default: []].append(record)
                    }
                }
                if accepted, let caseID = record.caseID, cases.contains(caseID) {
                    acceptedInCase[caseID, default: []].append(Timed(record: record, time: time(of: record)))
                }
            case "delivered", "queued":
                if ids.contains(id) { trails[id, default: Trail()].deliveries.append(record) }
            case "acknowledged":
                if ids.contains(id) { trails[id, default: Trail()].acknowledgements.append(record) }
            case "deadline_met", "deadline_breached":
                if ids.contains(id), trails[id]?.deadline == nil { trails[id, default: Trail()].deadline = record }
            case "connection_refused":
                if let node = record.claimed ?? record.certified, revoked.contains(node) {
                    refusedConnections.append(Timed(record: record, time: time(of: record)))
                }
            default:
                break
            }
        }
        var scores: [ScriptScore.InjectScore] = []
        for inject in script.injects {
            var score = ScriptScore.InjectScore(
                name: inject.name,
                at: inject.atText,
                summary: inject.summary,
                description: inject.description,
                checks: []
            )
            switch inject.action {
            case .send(_, let header, _, _):
                let message = messages[inject.name]
                score.messageId = message?.record.messageID
                score.receivedAt = message?.record.simulatedTime
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
                let at = inject.time(from: start)
                let refused = refusedConnections.filter {
                    $0.time >= at && ($0.record.claimed ?? $0.record.certified) == node.rawValue
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

    private func time(of record: AuditRecord) -> Timestamp { Timestamp(rfc3339: record.simulatedTime) ?? start }

    /// Counts a record into the play of the node it concerns: messages it sent (arrived, accepted, rejected by
    /// rule), copies the rules made of its messages (the accept-time delivery record, which alone names the sender
    /// and the rule: a delivery sent again after a reconnect names neither), deadlines of requests to it.
    private static func count(_ record: AuditRecord, into nodes: inout [String: ScriptScore.NodeScore]) {
        func add(_ node: String, _ change: (inout ScriptScore.NodeScore) -> Void) {
            change(&nodes[node, default: .init(node: node)])
        }
        if record.isArrival, let sender = record.sender { add(sender) { $0.sent += 1 } }
        switch record.event {
        case "accepted":
            if let sender = record.sender { add(sender) { $0.accepted += 1 } }
        case "rejected":
            if let sender = record.sender {
                add(sender) { node in
                    node.rejected += 1
                    for rule in record.rules ?? [] { node.rejectionsByRule[rule, default: 0] += 1 }
                }
            }
        case "delivered", "queued":
            if let sender = record.sender, let rule = record.rules?.first {
                add(sender) { $0.copiesMade[rule, default: 0] += 1 }
            }
        case "deadline_met", "deadline_breached":
            if let node = record.node, let rule = record.rules?.first {
                let met = record.event == "deadline_met"
                add(node) { node in
                    if met {
                        node.deadlinesByClass[rule, default: .init()].met += 1
                    } else {
                        node.deadlinesByClass[rule, default: .init()].breached += 1
                    }
                }
            }
        default:
            break
        }
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
            add(Self.expected(verdict: expected), got == expected, verdictText, verdict.map { [$0.seq] } ?? [])
        }
        for rule in expectation.rules {
            let fired = verdict?.rules ?? []
            add(
                Self.expected(rule: rule),
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
                add(Self.expected(receiver: node), true, "delivered \(how), receipt signed", [acknowledged.seq])
            } else if let first = delivered.first {
                let kind = delivered.contains { $0.event == "delivered" } ? "delivered" : "queued (offline)"
                add(Self.expected(receiver: node), false, "\(kind) \(how), never acknowledged", [first.seq])
            } else {
                add(Self.expected(receiver: node), false, "not delivered to \(node)", [])
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
        let expected = describe(answer)
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
        // A refusal names its ground by the RF rule its decision noted (Dir Art 6(1)).
        if found.record.messageType == MessageType.refusal.rawValue {
            let ground = (found.record.rules ?? []).filter { $0.hasPrefix("RF-") }
            observed += " on the ground \(ground.isEmpty ? "(none)" : ground.joined(separator: ", "))"
            if !answer.grounds.isEmpty, !ground.contains(where: answer.grounds.contains) {
                observed += ", not \(answer.grounds.joined(separator: " or "))"
                return .init(expected: expected, outcome: .notMet, observed: observed, records: records)
            }
        }
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

    /// An expected answer in words.
    private func describe(_ answer: Expectation.Answer) -> String {
        let grounds = answer.grounds.isEmpty ? "" : " (a refusal on \(answer.grounds.joined(separator: " or ")))"
        return "\(answer.types.map(\.rawValue).joined(separator: " or ")) from \(answer.from)\(grounds)"
            + due(answer.due)
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

    /// Each expected action in words, as the checks and the list of a message that never came both name it.
    private static func expected(verdict: Decision.Verdict) -> String { "router's verdict: \(verdict.rawValue)" }
    private static func expected(rule: String) -> String { "rule \(rule) applied" }
    private static func expected(receiver: NodeID) -> String { "\(receiver) receives it" }

    /// The expectations as sentences, for a message that never came.
    private func describe(_ expectation: Expectation) -> [String] {
        var lines: [String] = []
        if let verdict = expectation.verdict { lines.append(Self.expected(verdict: verdict)) }
        lines += expectation.rules.map(Self.expected(rule:))
        lines += expectation.receivers.map(Self.expected(receiver:))
        if let answer = expectation.answer { lines.append(describe(answer)) }
        lines += expectation.forbidden.map(\.summary)
        return lines
    }
}
