import EIXMCrypto
import EIXMModel
import EIXMNodes
import EIXMRouter
import EIXMRules
import EIXMScenario
import EIXMTransport
import Foundation
import Yams

// The exercise file (configs/exercise.yaml). Unknown keys and bad values are problems naming file, line and key.
//
//   name: text                 seed: integer (2013)       time_scale: simulated seconds per real second (3600)
//   duration: 30s (real)       drain: 5s (real)           start: RFC 3339 (simulated start; 2026-11-29T08:00:00Z)
//   mode: policy mode (optional, overrides the rules file)
//   rules: path to a rules file (optional; relative to this file; default: the built-in rules)
//   nodes: default | [NODE-ID | default | {designated_authorities: N}, ...]
//   router: {queue_limit, backlog_limit, remembered_messages, context_messages, heartbeat, replay_window, revoked: [NODE-ID],
//            max_connections, max_connections_per_address, max_handshakes, handshake_timeout, hello_timeout,
//            max_frames_per_second}
//   behaviour: {requests_per_hour, spontaneous_per_hour, urgent_share, direct_share, personal_data_share,
//               rule_breaking_share, europol_copy_share, third_state_share, third_country_share, jit_share,
//               reply_delay: {min, max},
//               refusal_share, clarification_share, delay_notice_share, hit_share, crime_areas: {AREA: weight},
//               offline: [{from: 2h, to: 6h}], signatures: per_message | batch}
//   overrides: {NODE-ID: {any behaviour key}}
//   faults: [{router_crash: {at, down_for}} | {node_crash: {node, at, down_for}} | {partition: {nodes, at, for}}
//            | {slow_node: {node, at, for, read_delay}}]   (Fault+YAML.swift)
//   background: on | off       injects: [...]       lessons: [text]   (the scenario's script: EIXMScenario/Script+YAML.swift)

extension ExerciseConfiguration {
    /// The exercise file built into the binary: the text of `configs/exercise.yaml`.
    public static let defaultYAML = DefaultExerciseYAML.text

    /// The scenario files built into the binary, by name (`eixm exercise --scenario NAME`).
    public static let scenarios: [String: String] = [
        "tokyo": TokyoScenarioYAML.text, "tokyo-outages": TokyoOutagesScenarioYAML.text,
        "indalo": IndaloScenarioYAML.text, "burgas": BurgasScenarioYAML.text,
        "asset-recovery": AssetRecoveryScenarioYAML.text,
    ]

    /// What `seed`, `time_scale` and `start` are when a file leaves them out: the built-in exercise's values.
    static let defaultSeed = 2013
    static let defaultTimeScale = 3600.0
    static let defaultStart = Timestamp(rfc3339: "2026-11-29T08:00:00Z")

    public static func builtIn() -> ExerciseConfiguration {
        // The built-in text is checked by the tests; it cannot fail to load.
        try! load(yaml: defaultYAML, file: "built-in exercise.yaml")
    }

    public static func load(path: String) throws(ConfigurationError) -> ExerciseConfiguration {
        let text = try ConfigReader.text(ofFile: path)
        return try load(yaml: text, file: path, folder: URL(fileURLWithPath: path).deletingLastPathComponent())
    }

    public static func load(
        yaml: String,
        file: String,
        folder: URL? = nil
    ) throws(ConfigurationError) -> ExerciseConfiguration {
        var reader = ConfigReader(file: file)
        let configuration = read(yaml: yaml, folder: folder, reader: &reader)
        guard reader.problems.isEmpty, let configuration else { throw ConfigurationError(problems: reader.problems) }
        return configuration
    }

    private static let topKeys = [
        "name", "seed", "time_scale", "duration", "drain", "start", "mode", "rules", "nodes", "router", "behaviour",
        "overrides", "faults", "background", "injects", "lessons",
    ]

    private static func read(yaml: String, folder: URL?, reader: inout ConfigReader) -> ExerciseConfiguration? {
        guard let root = reader.root(yaml: yaml) else { return nil }
        let top = reader.fields(
            root,
            "",
            allowed: topKeys,
            required: ["name", "duration", "nodes"]
        )
        guard reader.problems.isEmpty else { return nil }
        let name = reader.string(top["name"]!, "name")
        // seed, time_scale and start default to those of the built-in exercise.
        let seed = top["seed"].map { reader.int($0, "seed", in: 0...Int.max) } ?? Self.defaultSeed
        let scale =
            top["time_scale"].map { reader.number($0, "time_scale", in: 0.001...1_000_000) } ?? Self.defaultTimeScale
        let duration = reader.durationMilliseconds(top["duration"]!, "duration")
        let drain = top["drain"].flatMap { reader.durationMilliseconds($0, "drain") } ?? 5000
        var start: Timestamp? = Self.defaultStart
        if let startNode = top["start"] {
            start = nil
            if let text = reader.string(startNode, "start") {
                start = Timestamp(rfc3339: text)
                if start == nil { reader.problem(startNode, "start", "'\(text)' is not an RFC 3339 time") }
            }
        }
        var rules = RulesConfiguration.builtIn()
        if let rulesNode = top["rules"], let path = reader.string(rulesNode, "rules") {
            let resolved = path.hasPrefix("/") || folder == nil ? path : folder!.appendingPathComponent(path).path
            do {
                rules = try RulesConfiguration.load(path: resolved)
            } catch {
                for problem in error.problems { reader.problem(rulesNode, "rules", problem.description) }
            }
        }
        if let modeNode = top["mode"], let mode = reader.value(modeNode, "mode", as: PolicyMode.self) {
            rules.mode = mode
        }
        let (nodes, authorities) = readNodes(top["nodes"]!, rules: rules, &reader)
        let router = top["router"].map { readRouter($0, &reader) } ?? RouterConfiguration()
        var behaviour =
            top["behaviour"].map { readBehaviour($0, "behaviour", base: NodeBehaviour(), &reader) } ?? NodeBehaviour()
        var behaviours: [NodeID: NodeBehaviour] = [:]
        if let overrides = top["overrides"] {
            for entry in reader.entries(overrides, "overrides") {
                guard let node = NodeID(entry.name), nodes.contains(node) else {
                    reader.problem(entry.keyNode, "overrides.\(entry.name)", "not a node of this exercise")
                    continue
                }
                behaviours[node] = readBehaviour(entry.value, "overrides.\(entry.name)", base: behaviour, &reader)
            }
        }
        var faults =
            top["faults"].map {
                Fault.readList(
                    $0,
                    nodes: nodes,
                    trafficMilliseconds: scale.flatMap { scale in duration.map { Int64(Double($0) * scale) } },
                    &reader
                )
            } ?? []
        let script = Script.read(
            background: top["background"],
            injects: top["injects"],
            lessons: top["lessons"],
            nodes: nodes,
            reader: &reader
        )
        if let scale, let duration {
            let traffic = Int64(Double(duration) * scale)
            for inject in script.injects where inject.atMilliseconds >= traffic {
                reader.problem(
                    line: inject.place.line,
                    column: inject.place.column,
                    "injects.\(inject.name).at",
                    "+\(DurationText.text(milliseconds: inject.atMilliseconds)) is after the traffic ends (+\(DurationText.text(milliseconds: traffic)) simulated: duration times time_scale)"
                )
            }
            // A node going offline is a partition of that node: the faults' machinery cuts it and lets it back.
            for inject in script.injects {
                guard case .offline(let node, let milliseconds) = inject.action else { continue }
                faults.append(
                    Fault(
                        kind: .partition,
                        nodes: [node],
                        atMilliseconds: inject.atMilliseconds,
                        lengthMilliseconds: milliseconds
                    )
                )
            }
        }
        if !script.background {
            // Only the injects and the players' answers to them: nobody sends of its own accord.
            for node in [nil] + nodes.map(Optional.some) {
                var quiet = node.map { behaviours[$0] ?? behaviour } ?? behaviour
                quiet.requestsPerHour = 0
                quiet.spontaneousPerHour = 0
                if let node { behaviours[node] = quiet } else { behaviour = quiet }
            }
        }
        guard let name, let seed, let scale, let duration, let start else { return nil }
        var configuration = ExerciseConfiguration(
            name: name,
            seed: UInt64(seed),
            timeScale: scale,
            durationSeconds: Double(duration) / 1000,
            drainSeconds: Double(drain) / 1000,
            start: start,
            nodes: nodes,
            router: router,
            rules: rules,
            defaultBehaviour: behaviour,
            behaviours: behaviours,
            faults: faults,
            script: script
        )
        configuration.addDesignatedAuthorities(authorities)
        return configuration
    }

    /// The node list: `default`, or a list of node IDs, `default` (the 34) and `{designated_authorities: N}` (added
    /// after the others; ``ExerciseConfiguration/addDesignatedAuthorities(_:)``).
    private static func readNodes(
        _ node: Node,
        rules: RulesConfiguration,
        _ reader: inout ConfigReader
    ) -> (nodes: [NodeID], authorities: Int) {
        if node.scalar?.string == "default" { return (NodeID.defaultExercise, 0) }
        var nodes: [NodeID] = []
        var authorities = 0
        func add(_ id: NodeID, _ item: Node) {
            if nodes.contains(id) {
                reader.problem(item, "nodes", "\(id) is listed twice")
            } else {
                nodes.append(id)
            }
        }
        for item in reader.list(node, "nodes") {
            if item.mapping != nil {
                let fields = reader.fields(
                    item,
                    "nodes",
                    allowed: ["designated_authorities"],
                    required: ["designated_authorities"]
                )
                if let count = fields["designated_authorities"].flatMap({
                    reader.int($0, "nodes.designated_authorities", in: 1...DesignatedAuthorities.maximum)
                }) {
                    authorities += count
                }
                continue
            }
            guard let text = reader.string(item, "nodes") else { continue }
            if text == "default" {
                for id in NodeID.defaultExercise { add(id, item) }
                continue
            }
            guard let id = NodeID(text), rules.directory.profile(id) != nil else {
                reader.problem(item, "nodes", "'\(text)' is not a node of the rules' directory")
                continue
            }
            add(id, item)
        }
        if nodes.isEmpty {
            reader.problem(node, "nodes", "an exercise needs at least one node ('default' for the 34 default nodes)")
        } else if authorities > 0, !nodes.contains(where: { $0.spocState != nil }) {
            reader.problem(
                node,
                "nodes",
                "designated_authorities need the SPOC of at least one member state among the nodes"
            )
        }
        return (nodes, authorities)
    }

    private static func readRouter(_ node: Node, _ reader: inout ConfigReader) -> RouterConfiguration {
        var router = RouterConfiguration()
        let fields = reader.fields(
            node,
            "router",
            allowed: [
                "queue_limit", "backlog_limit", "remembered_messages", "context_messages", "heartbeat", "replay_window",
                "revoked",
                "max_connections", "max_connections_per_address", "max_handshakes", "handshake_timeout",
                "hello_timeout", "max_frames_per_second",
            ]
        )
        let limits: [(key: String, field: WritableKeyPath<RouterConfiguration, Int>)] = [
            ("queue_limit", \.queueLimit), ("backlog_limit", \.backlogLimit),
            ("remembered_messages", \.rememberedMessages),
            ("context_messages", \.contextMessages),
        ]
        for (key, field) in limits {
            if let value = fields[key].flatMap({ reader.int($0, "router.\(key)", in: 1...100_000_000) }) {
                router[keyPath: field] = value
            }
        }
        if let value = fields["heartbeat"].flatMap({ reader.durationMilliseconds($0, "router.heartbeat") }) {
            router.heartbeatMilliseconds = UInt32(clamping: value)
        }
        let connectionLimits: [(key: String, field: WritableKeyPath<ConnectionLimits, Int>)] = [
            ("max_connections", \.maxConnections), ("max_connections_per_address", \.maxPerAddress),
            ("max_handshakes", \.maxHandshakes), ("max_frames_per_second", \.maxFramesPerSecond),
        ]
        for (key, field) in connectionLimits {
            if let value = fields[key].flatMap({ reader.int($0, "router.\(key)", in: 1...10_000_000) }) {
                router.connectionLimits[keyPath: field] = value
            }
        }
        if let value = fields["handshake_timeout"].flatMap({
            reader.durationMilliseconds($0, "router.handshake_timeout")
        }) {
            router.connectionLimits.handshakeTimeoutMilliseconds = value
        }
        if let value = fields["hello_timeout"].flatMap({ reader.durationMilliseconds($0, "router.hello_timeout") }) {
            router.connectionLimits.helloTimeoutMilliseconds = value
        }
        if let value = fields["replay_window"].flatMap({ reader.duration($0, "router.replay_window") }) {
            router.replayWindowSeconds = value
        }
        if let revoked = fields["revoked"] {
            for item in reader.list(revoked, "router.revoked") {
                if let text = reader.string(item, "router.revoked") {
                    if let id = NodeID(text) {
                        router.revoked.insert(id)
                    } else {
                        reader.problem(item, "router.revoked", "'\(text)' is not a node ID")
                    }
                }
            }
        }
        return router
    }

    private static let behaviourKeys = [
        "requests_per_hour", "spontaneous_per_hour", "urgent_share", "direct_share", "personal_data_share",
        "rule_breaking_share", "europol_copy_share", "third_state_share", "third_country_share", "jit_share",
        "reply_delay", "refusal_share",
        "clarification_share", "delay_notice_share", "hit_share", "crime_areas", "offline", "signatures",
    ]

    private static func readBehaviour(
        _ node: Node,
        _ key: String,
        base: NodeBehaviour,
        _ reader: inout ConfigReader
    ) -> NodeBehaviour {
        var behaviour = base
        let fields = reader.fields(node, key, allowed: behaviourKeys)
        func rate(_ name: String) -> Double? {
            fields[name].flatMap { reader.number($0, "\(key).\(name)", in: 0...1_000_000) }
        }
        func share(_ name: String) -> Double? {
            fields[name].flatMap { reader.number($0, "\(key).\(name)", in: 0...1) }
        }
        if let value = rate("requests_per_hour") { behaviour.requestsPerHour = value }
        if let value = rate("spontaneous_per_hour") { behaviour.spontaneousPerHour = value }
        if let value = share("urgent_share") { behaviour.urgentShare = value }
        if let value = share("direct_share") { behaviour.directShare = value }
        if let value = share("personal_data_share") { behaviour.personalDataShare = value }
        if let value = share("rule_breaking_share") { behaviour.ruleBreakingShare = value }
        if let value = share("europol_copy_share") { behaviour.europolCopyShare = value }
        if let value = share("third_state_share") { behaviour.thirdStateShare = value }
        if let value = share("third_country_share") { behaviour.thirdCountryShare = value }
        if let value = share("jit_share") { behaviour.jitShare = value }
        if let value = share("refusal_share") { behaviour.refusalShare = value }
        if let value = share("clarification_share") { behaviour.clarificationShare = value }
        if let value = share("delay_notice_share") { behaviour.delayNoticeShare = value }
        if let value = share("hit_share") { behaviour.hitShare = value }
        if let delay = fields["reply_delay"] {
            let bounds = reader.fields(delay, "\(key).reply_delay", allowed: ["min", "max"], required: ["min", "max"])
            if let low = bounds["min"].flatMap({ reader.durationMilliseconds($0, "\(key).reply_delay.min") }),
                let high = bounds["max"].flatMap({ reader.durationMilliseconds($0, "\(key).reply_delay.max") })
            {
                if low <= high {
                    behaviour.replyDelayHours = Double(low) / 3_600_000...Double(high) / 3_600_000
                } else {
                    reader.problem(delay, "\(key).reply_delay", "min is above max")
                }
            }
        }
        if let areas = fields["crime_areas"] {
            var mix: [CrimeArea: Double] = [:]
            for entry in reader.entries(areas, "\(key).crime_areas", allowed: CrimeArea.allCases.map(\.rawValue)) {
                if let weight = reader.number(entry.value, "\(key).crime_areas.\(entry.name)", in: 0...1_000_000) {
                    mix[CrimeArea(rawValue: entry.name)!] = weight
                }
            }
            behaviour.crimeAreas = mix
        }
        if let offline = fields["offline"] {
            behaviour.offline = []
            for (index, window) in reader.list(offline, "\(key).offline").enumerated() {
                let path = "\(key).offline[\(index)]"
                let bounds = reader.fields(window, path, allowed: ["from", "to"], required: ["from", "to"])
                if let from = bounds["from"].flatMap({ reader.durationMilliseconds($0, "\(path).from") }),
                    let to = bounds["to"].flatMap({ reader.durationMilliseconds($0, "\(path).to") }), from < to
                {
                    behaviour.offline.append(Double(from) / 3_600_000...Double(to) / 3_600_000)
                }
            }
        }
        if let node = fields["signatures"], let mode = reader.value(node, "\(key).signatures", as: SignatureMode.self) {
            behaviour.signatures = mode
        }
        return behaviour
    }
}
