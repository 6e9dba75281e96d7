/// One thing wrong in a configuration file: where (file, line, column, key) and what.
public struct ConfigurationProblem: Hashable, Sendable, CustomStringConvertible {
    public let file: String
    /// 1-based; 0 when the problem concerns the file as a whole.
    public let line: Int
    public let column: Int
    /// The key path, e.g. `states.BE.languages`.
    public let key: String
    public let message: String

    public init(file: String, line: Int, column: Int, key: String, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.key = key
        self.message = message
    }

    public var description: String {
        let place = line > 0 ? "\(file):\(line):\(column)" : file
        return key.isEmpty ? "\(place): \(message)" : "\(place): \(key): \(message)"
    }
}

/// A configuration file that could not be loaded, with every problem found in it (not just the first).
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    public let problems: [ConfigurationProblem]

    public init(problems: [ConfigurationProblem]) { self.problems = problems }

    public var description: String {
        problems.map(\.description).joined(separator: "\n")
    }
}
