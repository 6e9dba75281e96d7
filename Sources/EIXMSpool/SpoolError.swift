/// A spool that cannot be opened or written: which file, where, what is wrong.
public struct SpoolError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        private init(_ name: String) { self.name = name }

        /// A record in the middle of the spool does not match its checksum or cannot be read: not a torn write.
        public static let corrupt = Code("corrupt record")
        /// A segment between the first and the last is missing.
        public static let missingSegment = Code("missing segment")
        /// A file or folder cannot be created, read, written or synced.
        public static let io = Code("I/O error")

        public var description: String { name }
    }

    public let code: Code
    /// The file concerned.
    public let path: String
    /// The byte offset in that file, when it is about a record.
    public let offset: Int?
    public let detail: String

    public init(_ code: Code, path: String, offset: Int? = nil, _ detail: String) {
        self.code = code
        self.path = path
        self.offset = offset
        self.detail = detail
    }

    public var description: String {
        "\(path)\(offset.map { " at byte \($0)" } ?? ""): \(code): \(detail)"
    }
}
