import EIXMModel
import EIXMRules
import Foundation
import Yams

// Faults in an exercise file (`faults:`), and the same text given to `eixm load --fault`:
//
//   faults:
//     - router_crash: {at: 10h, down_for: 2h}
//     - node_crash: {node: SPOC-MT, at: 4h, down_for: 6h}
//     - partition: {nodes: [SPOC-MT, SPOC-IT], at: 3h, for: 2h}
//     - slow_node: {node: SPOC-IT, at: 1h, for: 2h, read_delay: 200ms}
//
// `at` counts from the start of the traffic; `at`, `down_for` and `for` are simulated time, `read_delay` real time.

extension Fault {
    /// Reads `--fault` options: each one fault, written as an item of `faults:` (e.g. `'partition: {nodes: [SPOC-MT],
    /// at: 5s, for: 3s}'`), checked against the run's nodes and each other; returned in the order they start.
    public static func parse(
        options: [String],
        nodes: [NodeID],
        trafficMilliseconds: Int64
    ) throws(ConfigurationError) -> [Fault] {
        var reader = ConfigReader(file: "--fault")
        var faults: [Fault] = []
        for (index, text) in options.enumerated() {
            guard let root = reader.root(yaml: text) else { continue }
            if let fault = read(root, "--fault \(index + 1)", nodes: nodes, reader: &reader) { faults.append(fault) }
        }
        check(
            faults,
            positions: Array(repeating: nil, count: faults.count),
            trafficMilliseconds: trafficMilliseconds,
            key: "--fault",
            &reader
        )
        guard reader.problems.isEmpty else { throw ConfigurationError(problems: reader.problems) }
        return faults.sorted { $0.atMilliseconds < $1.atMilliseconds }
    }

    /// Reads the `faults:` list of an exercise file.
    static func readList(
        _ node: Node,
        nodes: [NodeID],
        trafficMilliseconds: Int64?,
        _ reader: inout ConfigReader
    ) -> [Fault] {
        var faults: [Fault] = []
        var positions: [Node?] = []
        for (index, item) in reader.list(node, "faults").enumerated() {
            if let fault = read(item, "faults[\(index)]", nodes: nodes, reader: &reader) {
                faults.append(fault)
                positions.append(item)
            }
        }
        if let trafficMilliseconds {
            check(faults, positions: positions, trafficMilliseconds: trafficMilliseconds, key: "faults", &reader)
        }
        return faults
    }

    private static func read(_ node: Node, _ key: String, nodes: [NodeID], reader: inout ConfigReader) -> Fault? {
        let problemsBefore = reader.problems.count
        let entries = reader.entries(node, key, allowed: Kind.allCases.map(\.rawValue))
        guard entries.count == 1, let entry = entries.first, let kind = Kind(rawValue: entry.name) else {
            if entries.count > 1 {
                reader.problem(
                    node,
                    key,
                    "one fault per item: \(entries.map(\.name).joined(separator: " and ")) are two"
                )
            }
            if entries.isEmpty, node.mapping?.isEmpty ?? false {
                reader.problem(
                    node,
                    key,
                    "expected a fault: one of \(Kind.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            return nil
        }
        let path = "\(key).\(kind.rawValue)"
        let length = kind == .routerCrash || kind == .nodeCrash ? "down_for" : "for"
        var allowed = ["at", length]
        switch kind {
        case .routerCrash: break
        case .nodeCrash: allowed.append("node")
        case .partition: allowed.append("nodes")
        case .slowNode: allowed += ["node", "read_delay"]
        }
        let fields = reader.fields(entry.value, path, allowed: allowed, required: allowed)
        let at = fields["at"].flatMap { reader.durationMilliseconds($0, "\(path).at") }
        let span = fields[length].flatMap { reader.durationMilliseconds($0, "\(path).\(length)") }
        var struck: [NodeID] = []
        func strike(_ value: Node, _ name: String) {
            guard let text = reader.string(value, name) else { return }
            guard let id = NodeID(text), nodes.contains(id) else {
                reader.problem(value, name, "'\(text)' is not a node of this run")
                return
            }
            if struck.contains(id) { reader.problem(value, name, "\(id) is listed twice") } else { struck.append(id) }
        }
        if let value = fields["node"] { strike(value, "\(path).node") }
        if let list = fields["nodes"] {
            let items = reader.list(list, "\(path).nodes")
            for item in items { strike(item, "\(path).nodes") }
            if items.isEmpty, list.sequence != nil {
                reader.problem(list, "\(path).nodes", "a partition needs at least one node")
            }
        }
        var delay: Int64?
        if let value = fields["read_delay"] { delay = reader.durationMilliseconds(value, "\(path).read_delay") }
        guard reader.problems.count == problemsBefore, let at, let span else { return nil }
        return Fault(
            kind: kind,
            nodes: struck,
            atMilliseconds: at,
            lengthMilliseconds: span,
            readDelayMilliseconds: delay
        )
    }

    /// Faults must start while traffic runs, and two faults of one kind may not strike the same node (or the router)
    /// at the same time: the end of one would end the other.
    private static func check(
        _ faults: [Fault],
        positions: [Node?],
        trafficMilliseconds: Int64,
        key: String,
        _ reader: inout ConfigReader
    ) {
        for (index, fault) in faults.enumerated() where fault.atMilliseconds >= trafficMilliseconds {
            reader.problem(
                positions[index],
                "\(key)[\(index)]",
                "\(fault) starts after the traffic ends (at +\(DurationText.text(milliseconds: trafficMilliseconds)))"
            )
        }
        for (index, fault) in faults.enumerated() {
            for (otherIndex, other) in faults.enumerated().prefix(index) where fault.overlaps(other) {
                reader.problem(
                    positions[index],
                    "\(key)[\(index)]",
                    "\(fault) overlaps \(other) (\(key)[\(otherIndex)]) of the same kind on the same node or router"
                )
            }
        }
    }

    /// Whether the two are of one kind and strike a common node (or the router) at a common moment.
    func overlaps(_ other: Fault) -> Bool {
        let sameTarget = kind == other.kind && (kind == .routerCrash || !Set(nodes).isDisjoint(with: other.nodes))
        return sameTarget && atMilliseconds < other.atMilliseconds + other.lengthMilliseconds
            && other.atMilliseconds < atMilliseconds + lengthMilliseconds
    }
}
