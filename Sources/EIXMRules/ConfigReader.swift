import Foundation
import Yams

/// Reads typed values out of a YAML document (parsed by Yams), recording a ``ConfigurationProblem`` with file,
/// line and key path for every bad value instead of stopping at the first, so that `lint` can report them all.
public struct ConfigReader {
    public let file: String
    public private(set) var problems: [ConfigurationProblem] = []

    public init(file: String) { self.file = file }

    /// A configuration file's text; an unreadable file is a problem naming it.
    public static func text(ofFile path: String) throws(ConfigurationError) -> String {
        do {
            return try PlainFile.text(path)
        } catch {
            let sentence =
                error.description.hasPrefix("\(path): ")
                ? String(error.description.dropFirst(path.count + 2)) : error.description
            throw ConfigurationError(problems: [
                ConfigurationProblem(file: path, line: 0, column: 0, key: "", message: sentence)
            ])
        }
    }

    /// Parses the text; a syntax error becomes a problem at its line.
    public mutating func root(yaml text: String) -> Node? {
        do {
            guard let node = try Yams.compose(yaml: text) else {
                problem(nil, "", "the file is empty")
                return nil
            }
            return node
        } catch let error as YamlError {
            switch error {
            case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
                .composer(_, let problem, let mark, _):
                problems.append(
                    ConfigurationProblem(
                        file: file,
                        line: mark.line,
                        column: mark.column,
                        key: "",
                        message: "YAML: \(problem)"
                    )
                )
            case .duplicatedKeysInMapping(let duplicates, let context):
                problems.append(
                    ConfigurationProblem(
                        file: file,
                        line: context.mark.line,
                        column: context.mark.column,
                        key: duplicates.joined(separator: ", "),
                        message: "YAML: the key appears more than once in its mapping"
                    )
                )
            default:
                problem(nil, "", "YAML: \(error)")
            }
            return nil
        } catch {
            problem(nil, "", "YAML: \(error)")
            return nil
        }
    }

    /// Records a problem at a node's position.
    public mutating func problem(_ node: Node?, _ key: String, _ message: String) {
        problems.append(
            ConfigurationProblem(
                file: file,
                line: node?.mark?.line ?? 0,
                column: node?.mark?.column ?? 0,
                key: key,
                message: message
            )
        )
    }

    /// Records a problem at a position found earlier (1-based line and column).
    public mutating func problem(line: Int, column: Int, _ key: String, _ message: String) {
        problems.append(ConfigurationProblem(file: file, line: line, column: column, key: key, message: message))
    }

    /// The entries of a mapping in file order, with the key's node for positions. A repeated key, or a key not in
    /// `allowed` (when given), is a problem.
    public mutating func entries(
        _ node: Node,
        _ key: String,
        allowed: [String]? = nil
    ) -> [(name: String, keyNode: Node, value: Node)] {
        guard let mapping = node.mapping else {
            problem(node, key, "expected a mapping of keys to values")
            return []
        }
        var result: [(name: String, keyNode: Node, value: Node)] = []
        var seen: Set<String> = []
        for (keyNode, value) in mapping {
            let name = keyNode.scalar?.string ?? ""
            let path = key.isEmpty ? name : "\(key).\(name)"
            guard seen.insert(name).inserted else {
                problem(keyNode, path, "the key appears more than once")
                continue
            }
            if let allowed, !allowed.contains(name) {
                problem(keyNode, path, "unknown key; expected one of: \(allowed.joined(separator: ", "))")
                continue
            }
            result.append((name, keyNode, value))
        }
        return result
    }

    /// A mapping's values by key, checking that `required` keys are present.
    public mutating func fields(
        _ node: Node,
        _ key: String,
        allowed: [String],
        required: [String] = []
    ) -> [String: Node] {
        var fields: [String: Node] = [:]
        for entry in entries(node, key, allowed: allowed) { fields[entry.name] = entry.value }
        if node.mapping != nil {
            for name in required where fields[name] == nil {
                problem(node, key.isEmpty ? name : "\(key).\(name)", "required key is missing")
            }
        }
        return fields
    }

    public mutating func string(_ node: Node, _ key: String) -> String? {
        guard let scalar = node.scalar else {
            problem(node, key, "expected a single value")
            return nil
        }
        return scalar.string
    }

    public mutating func bool(_ node: Node, _ key: String) -> Bool? {
        guard node.scalar != nil, let value = node.bool else {
            problem(node, key, "expected true or false")
            return nil
        }
        return value
    }

    public mutating func int(_ node: Node, _ key: String, in range: ClosedRange<Int>) -> Int? {
        guard node.scalar != nil, let value = node.int, range.contains(value) else {
            problem(node, key, "expected a whole number from \(range.lowerBound) to \(range.upperBound)")
            return nil
        }
        return value
    }

    public mutating func number(_ node: Node, _ key: String, in range: ClosedRange<Double>) -> Double? {
        guard node.scalar != nil, let value = node.float ?? node.int.map(Double.init), range.contains(value) else {
            problem(node, key, "expected a number from \(range.lowerBound) to \(range.upperBound)")
            return nil
        }
        return value
    }

    public mutating func list(_ node: Node, _ key: String) -> [Node] {
        guard let sequence = node.sequence else {
            problem(node, key, "expected a list")
            return []
        }
        return Array(sequence)
    }

    /// A value from a closed set of spellings, e.g. an enum's raw values.
    public mutating func value<Value: RawRepresentable & CaseIterable>(
        _ node: Node,
        _ key: String,
        as type: Value.Type = Value.self
    ) -> Value? where Value.RawValue == String {
        guard let text = string(node, key) else { return nil }
        guard let value = Value(rawValue: text) else {
            let spellings = Value.allCases.map(\.rawValue).joined(separator: ", ")
            problem(node, key, "'\(text)' is not one of: \(spellings)")
            return nil
        }
        return value
    }

    /// A list of values from a closed set; bad entries are problems and are left out.
    public mutating func values<Value: RawRepresentable & CaseIterable>(
        _ node: Node,
        _ key: String,
        as type: Value.Type = Value.self
    ) -> [Value] where Value.RawValue == String {
        list(node, key).compactMap { value($0, key, as: type) }
    }

    /// A duration such as `8h`, `1m30s`, `1.5s` or `250ms`, in seconds (fractions are kept by
    /// ``durationMilliseconds(_:_:)``).
    public mutating func duration(_ node: Node, _ key: String) -> Int64? {
        durationMilliseconds(node, key).map { $0 / 1000 }
    }

    /// A duration such as `8h`, `1m30s`, `1.5s` or `250ms`, in milliseconds; must be positive.
    public mutating func durationMilliseconds(_ node: Node, _ key: String) -> Int64? {
        guard let text = string(node, key) else { return nil }
        guard let milliseconds = DurationText.milliseconds(text), milliseconds > 0 else {
            problem(node, key, "'\(text)' is not a positive duration \(DurationText.examples)")
            return nil
        }
        return milliseconds
    }
}
