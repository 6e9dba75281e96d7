import EIXMModel
import EIXMRules
import Foundation
import Yams

// A scenario's script, in the exercise file:
//
//   background: on | off
//   lessons: [text, ...]            (what a planner learns from the storyline)
//   injects:
//     - id: NAME                      (unique)
//       at: 2h                        (simulated, from the start; 0s for the start)
//       description: text
//       then one of:
//       send: {from: NODE, header: {any header field, JSON names}, body: text, answers: INJECT}
//       sis_alert: {node: NODE, issued_by: STATE, alert_id: text, header: {...}, body: text}
//       prum_hit: {node: NODE, hit_in: STATE, ref: text, header: {...}, body: text}
//       offline: {node: NODE, for: 3h}    offline: {node: NODE} ... online: NODE (a later inject)
//       revoke: NODE
//       mode: SFD_LEGACY | DIR_2023_977_TRANSITIONAL | DIR_2023_977_FULL
//       expect:                       (message injects)
//         verdict: accept | reject
//         rules: [RULE-ID, ...]
//         receive: [NODE, ...]
//         answer: {from: NODE, type: REPLY | [REPLY, REFUSAL, ...], by: deadline | 8h, ground: [RF-a, ...]}
//         must_not: [{from: NODE, to: NODE, type: MSG-TYPE}, ...]

extension Script {
    static let actionKeys = ["send", "sis_alert", "prum_hit", "offline", "online", "revoke", "mode"]
    static let injectKeys = ["id", "at", "description", "expect"] + actionKeys

    /// Reads `background:` and `injects:` of an exercise file. `nodes`: the exercise's nodes (injects may only come
    /// from them); every problem is recorded with its line and column.
    public static func read(
        background: Node?,
        injects: Node?,
        lessons: Node?,
        nodes: [NodeID],
        reader: inout ConfigReader
    ) -> Script {
        var script = Script()
        if let background, let value = readSwitch(background, &reader) { script.background = value }
        if let lessons {
            script.lessons = reader.list(lessons, "lessons").compactMap { reader.string($0, "lessons") }
        }
        guard let injects else { return script }
        var names: [String: Header] = [:]
        var openOffline: [NodeID: (at: Int64, name: String, node: Node)] = [:]
        var read: [Inject] = []
        for (index, item) in reader.list(injects, "injects").enumerated() {
            let path = "injects[\(index)]"
            let fields = reader.fields(item, path, allowed: injectKeys, required: ["id", "at"])
            guard item.mapping != nil else { continue }
            let name = fields["id"].flatMap { reader.string($0, "\(path).id") } ?? ""
            let label = name.isEmpty ? path : "injects.\(name)"
            if !name.isEmpty, names[name] != nil || read.contains(where: { $0.name == name }) {
                reader.problem(fields["id"], "\(label).id", "another inject is called '\(name)'")
            }
            let at = fields["at"].flatMap { offset($0, "\(label).at", &reader) }
            let description = fields["description"].flatMap { reader.string($0, "\(label).description") } ?? ""
            let actions = actionKeys.filter { fields[$0] != nil }
            guard actions.count == 1, let key = actions.first else {
                reader.problem(
                    item,
                    label,
                    actions.isEmpty
                        ? "an inject needs one of: \(actionKeys.joined(separator: ", "))"
                        : "an inject does one thing; it has \(actions.joined(separator: " and "))"
                )
                continue
            }
            let node = fields[key]!
            let place = Place(item)
            var action: Inject.Action?
            switch key {
            case "send":
                action = readSend(node, "\(label).send", nodes: nodes, earlier: names, &reader)
            case "sis_alert", "prum_hit":
                action = readHit(node, "\(label).\(key)", kind: key, nodes: nodes, &reader)
            case "offline":
                let parts = reader.fields(node, "\(label).offline", allowed: ["node", "for"], required: ["node"])
                guard let target = parts["node"].flatMap({ exerciseNode($0, "\(label).offline.node", nodes, &reader) })
                else { continue }
                if let length = parts["for"] {
                    if let milliseconds = reader.durationMilliseconds(length, "\(label).offline.for") {
                        action = .offline(node: target, milliseconds: milliseconds)
                    }
                } else if let at {
                    openOffline[target] = (at, name, item)
                    continue
                }
            case "online":
                guard let target = exerciseNode(node, "\(label).online", nodes, &reader), let at else { continue }
                guard let open = openOffline.removeValue(forKey: target), at > open.at else {
                    reader.problem(
                        node,
                        "\(label).online",
                        "\(target) is not offline (no earlier 'offline' without 'for')"
                    )
                    continue
                }
                // The pair is one inject: offline at the first time, for as long as until the second.
                read.append(
                    Inject(
                        name: open.name,
                        atMilliseconds: open.at,
                        description: description,
                        action: .offline(node: target, milliseconds: at - open.at),
                        place: Place(open.node)
                    )
                )
                continue
            case "revoke":
                action = exerciseNode(node, "\(label).revoke", nodes, &reader).map { .revoke(node: $0) }
            default:
                action = reader.value(node, "\(label).mode", as: PolicyMode.self).map { .mode($0) }
            }
            var expectation = Expectation()
            if let expect = fields["expect"] {
                if case .send = action {
                    expectation = readExpectation(expect, "\(label).expect", nodes: nodes, &reader)
                } else if action != nil {
                    reader.problem(expect, "\(label).expect", "only an inject that sends a message has expectations")
                }
            }
            guard let action, let at else { continue }
            if case .send(_, let header, _, _) = action, !name.isEmpty { names[name] = header }
            read.append(
                Inject(
                    name: name,
                    atMilliseconds: at,
                    description: description,
                    action: action,
                    expectation: expectation,
                    place: place
                )
            )
        }
        for (node, open) in openOffline {
            reader.problem(
                open.node,
                "injects.\(open.name).offline",
                "\(node) goes offline with no 'for' and no later 'online'"
            )
        }
        script.injects = read.sorted { $0.atMilliseconds < $1.atMilliseconds }
        return script
    }

    private static func readSwitch(_ node: Node, _ reader: inout ConfigReader) -> Bool? {
        switch node.scalar?.string {
        case "on", "true": return true
        case "off", "false": return false
        default:
            reader.problem(node, "background", "expected on or off")
            return nil
        }
    }

    /// An offset from the start: a duration, or 0.
    private static func offset(_ node: Node, _ key: String, _ reader: inout ConfigReader) -> Int64? {
        guard let text = reader.string(node, key) else { return nil }
        if text == "0" { return 0 }
        guard let milliseconds = DurationText.milliseconds(text) else {
            reader.problem(node, key, "'\(text)' is not a time from the start \(DurationText.examples), or 0s")
            return nil
        }
        return milliseconds
    }

    private static func exerciseNode(
        _ node: Node,
        _ key: String,
        _ nodes: [NodeID],
        _ reader: inout ConfigReader
    ) -> NodeID? {
        guard let text = reader.string(node, key) else { return nil }
        guard let id = NodeID(text), nodes.contains(id) else {
            reader.problem(node, key, "'\(text)' is not a node of this exercise")
            return nil
        }
        return id
    }

    private static func readSend(
        _ node: Node,
        _ key: String,
        nodes: [NodeID],
        earlier: [String: Header],
        _ reader: inout ConfigReader
    ) -> Inject.Action? {
        let fields = reader.fields(
            node,
            key,
            allowed: ["from", "header", "body", "answers"],
            required: ["from", "header"]
        )
        guard let from = fields["from"].flatMap({ exerciseNode($0, "\(key).from", nodes, &reader) }) else { return nil }
        var answering: String?
        var extra: [String: Any] = [:]
        if let answers = fields["answers"], let name = reader.string(answers, "\(key).answers") {
            if let request = earlier[name] {
                answering = name
                // The answer's case is the request's unless the header says otherwise.
                if let caseID = request.caseID { extra["case_id"] = caseID }
            } else {
                reader.problem(answers, "\(key).answers", "no earlier inject called '\(name)' sends a message")
            }
        }
        guard let headerNode = fields["header"],
            let header = readHeader(headerNode, "\(key).header", from: from, defaults: extra, &reader)
        else { return nil }
        let body = fields["body"].flatMap { reader.string($0, "\(key).body") } ?? "Inject: see the header."
        return .send(from: from, header: header, body: body, answering: answering)
    }

    /// An SIS alert or a Prüm hit that appears for a node: the node follows it up with the issuing (or hit) state's
    /// SPOC, on SIRENE (an SIS hit, CH-07/CH-08) or on SIENA under the Directive (a Prüm hit, CH-12).
    private static func readHit(
        _ node: Node,
        _ key: String,
        kind: String,
        nodes: [NodeID],
        _ reader: inout ConfigReader
    ) -> Inject.Action? {
        let sis = kind == "sis_alert"
        let stateKey = sis ? "issued_by" : "hit_in"
        let referenceKey = sis ? "alert_id" : "ref"
        let fields = reader.fields(
            node,
            key,
            allowed: ["node", stateKey, referenceKey, "header", "body"],
            required: ["node", stateKey, referenceKey]
        )
        guard let from = fields["node"].flatMap({ exerciseNode($0, "\(key).node", nodes, &reader) }),
            let state = fields[stateKey].flatMap({ reader.value($0, "\(key).\(stateKey)", as: MemberState.self) }),
            let reference = fields[referenceKey].flatMap({ reader.string($0, "\(key).\(referenceKey)") })
        else { return nil }
        var defaults: [String: Any] = [
            "to": [NodeID.spoc(state).rawValue], "msg_type": "REQUEST", "case_id": reference,
        ]
        if sis {
            defaults.merge(["channel": "SIRENE", "legal_basis": "SIS", "sis_alert_id": reference]) { $1 }
        } else {
            defaults.merge(["channel": "SIENA", "legal_basis": "DIR_2023_977", "prum_hit_ref": reference]) { $1 }
        }
        let header: Header?
        if let headerNode = fields["header"] {
            header = readHeader(headerNode, "\(key).header", from: from, defaults: defaults, &reader)
        } else {
            header = decodeHeader(defaults, from: from, node: node, key: "\(key)", &reader)
        }
        guard let header else { return nil }
        let what = sis ? "SIS alert \(reference) of \(state.rawValue)" : "Prüm hit \(reference) in \(state.rawValue)"
        let body = fields["body"].flatMap { reader.string($0, "\(key).body") } ?? "Follow-up of the \(what)."
        return .send(from: from, header: header, body: body, answering: nil)
    }

    /// The header of an inject: the fields written (JSON names, as `eixm message new` reads them) over `defaults`;
    /// `id`, `sender` and `created_at` are filled in (and set again when the message is sent).
    private static func readHeader(
        _ node: Node,
        _ key: String,
        from: NodeID,
        defaults: [String: Any],
        _ reader: inout ConfigReader
    ) -> Header? {
        guard let mapping = node.mapping else {
            reader.problem(node, key, "expected a mapping of header fields")
            return nil
        }
        var object = defaults
        var places: [String: Node] = [:]
        for (keyNode, value) in mapping {
            guard let name = keyNode.scalar?.string else { continue }
            if ["id", "sender", "created_at"].contains(name) {
                reader.problem(keyNode, "\(key).\(name)", "set when the inject is sent; leave it out")
                continue
            }
            object[name] = jsonValue(value)
            places[name] = keyNode
        }
        return decodeHeader(object, from: from, node: node, key: key, places: places, &reader)
    }

    private static func decodeHeader(
        _ object: [String: Any],
        from: NodeID,
        node: Node,
        key: String,
        places: [String: Node] = [:],
        _ reader: inout ConfigReader
    ) -> Header? {
        var object = object
        object["id"] = "00000000-0000-4000-8000-000000000000"
        object["sender"] = from.rawValue
        object["created_at"] = "2026-01-01T00:00:00Z"
        do {
            let bytes = try JSONSerialization.data(withJSONObject: object)
            return try Header(json: Array(bytes))
        } catch let error as MessageFormatError {
            reader.problem(places[error.field] ?? node, "\(key).\(error.field)", error.detail)
        } catch {
            reader.problem(node, key, "not a header")
        }
        return nil
    }

    /// A YAML value as JSON: plain `true`/`false` and numbers as such, everything else as text.
    private static func jsonValue(_ node: Node) -> Any {
        switch node {
        case .sequence(let sequence): return sequence.map(jsonValue)
        case .mapping(let mapping):
            var object: [String: Any] = [:]
            for (key, value) in mapping { object[key.scalar?.string ?? ""] = jsonValue(value) }
            return object
        case .scalar(let scalar):
            if scalar.style == .plain {
                if let bool = node.bool, ["true", "false"].contains(scalar.string) { return bool }
                if let int = node.int { return int }
            }
            return scalar.string
        default:
            return node.scalar?.string ?? ""
        }
    }

    private static func readExpectation(
        _ node: Node,
        _ key: String,
        nodes: [NodeID],
        _ reader: inout ConfigReader
    ) -> Expectation {
        var expectation = Expectation()
        let fields = reader.fields(node, key, allowed: ["verdict", "rules", "receive", "answer", "must_not"])
        if let verdict = fields["verdict"] {
            expectation.verdict = reader.string(verdict, "\(key).verdict").flatMap { text in
                guard let value = Decision.Verdict(rawValue: text) else {
                    reader.problem(verdict, "\(key).verdict", "'\(text)' is not one of: accept, reject")
                    return nil
                }
                return value
            }
            expectation.verdictPlace = Place(verdict)
        }
        if let rules = fields["rules"] {
            let known = Set(RuleID.allCases.map(\.rawValue))
            for item in reader.list(rules, "\(key).rules") {
                guard let text = reader.string(item, "\(key).rules") else { continue }
                if known.contains(text) {
                    expectation.rules.append(text)
                } else {
                    reader.problem(item, "\(key).rules", "'\(text)' is not a rule ID ('eixm rules list' lists them)")
                }
            }
            expectation.rulesPlace = Place(rules)
        }
        if let receive = fields["receive"] {
            for item in reader.list(receive, "\(key).receive") {
                guard let text = reader.string(item, "\(key).receive") else { continue }
                if let id = NodeID(text) {
                    expectation.receivers.append(id)
                } else {
                    reader.problem(item, "\(key).receive", "'\(text)' is not a node ID")
                }
            }
            expectation.receiversPlace = Place(receive)
        }
        if let answer = fields["answer"] {
            let parts = reader.fields(
                answer,
                "\(key).answer",
                allowed: ["from", "type", "by", "ground"],
                required: ["from", "type"]
            )
            let from = parts["from"].flatMap { exerciseNode($0, "\(key).answer.from", nodes, &reader) }
            var types: [MessageType] = []
            if let typeNode = parts["type"] {
                let items = typeNode.sequence.map(Array.init) ?? [typeNode]
                types = items.compactMap { reader.value($0, "\(key).answer.type", as: MessageType.self) }
                let answering: Set<MessageType> = [
                    .reply, .refusal, .clarificationRequest, .delayNotice, .hitNotification,
                ]
                for type in types where !answering.contains(type) {
                    reader.problem(typeNode, "\(key).answer.type", "\(type.rawValue) does not answer a message")
                }
            }
            var due = Expectation.Answer.Due.anyTime
            if let by = parts["by"], let text = reader.string(by, "\(key).answer.by") {
                if text == "deadline" {
                    due = .deadline
                } else if let milliseconds = reader.durationMilliseconds(by, "\(key).answer.by") {
                    due = .within(milliseconds: milliseconds)
                }
            }
            var grounds: [String] = []
            if let ground = parts["ground"] {
                let refusalRules = Set(["RF-a", "RF-b", "RF-c", "RF-d", "RF-e", "RF-f", "RF-g", "RF-h"])
                for item in ground.sequence.map(Array.init) ?? [ground] {
                    guard let text = reader.string(item, "\(key).answer.ground") else { continue }
                    if refusalRules.contains(text) {
                        grounds.append(text)
                    } else {
                        reader.problem(item, "\(key).answer.ground", "'\(text)' is not a refusal ground (RF-a to RF-h)")
                    }
                }
                if !types.contains(.refusal) {
                    reader.problem(
                        ground,
                        "\(key).answer.ground",
                        "a ground is for a REFUSAL; the type does not allow one"
                    )
                }
            }
            if let from, !types.isEmpty {
                expectation.answer = Expectation.Answer(
                    from: from,
                    types: types,
                    due: due,
                    grounds: grounds,
                    place: Place(answer)
                )
            }
        }
        if let forbidden = fields["must_not"] {
            for (index, item) in reader.list(forbidden, "\(key).must_not").enumerated() {
                let path = "\(key).must_not[\(index)]"
                let parts = reader.fields(item, path, allowed: ["from", "to", "type"])
                guard item.mapping != nil else { continue }
                if parts.isEmpty { reader.problem(item, path, "name at least one of: from, to, type") }
                let from = parts["from"].flatMap { reader.string($0, "\(path).from") }.flatMap(NodeID.init)
                let to = parts["to"].flatMap { reader.string($0, "\(path).to") }.flatMap(NodeID.init)
                let type = parts["type"].flatMap { reader.value($0, "\(path).type", as: MessageType.self) }
                expectation.forbidden.append(.init(from: from, to: to, type: type, place: Place(item)))
            }
        }
        return expectation
    }
}

extension Place {
    /// Where a YAML node is written.
    init(_ node: Node) { self.init(line: node.mark?.line ?? 0, column: node.mark?.column ?? 0) }
}
