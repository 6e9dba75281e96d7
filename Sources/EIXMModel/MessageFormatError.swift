/// The error for an envelope or header that cannot be read: binary or JSON, it names the field and says what is
/// wrong. Decoding is total: every input gives either a value or this error.
public struct MessageFormatError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of problem it is. Extensible: new codes may be added.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        private init(_ name: String) { self.name = name }

        /// The input ends inside the named field.
        public static let truncated = Code("truncated")
        /// The field is longer, or has more entries, than its documented limit.
        public static let tooLong = Code("too long")
        /// The envelope does not start with the `EIXM` magic.
        public static let badMagic = Code("bad magic")
        /// The format version is not one this build reads.
        public static let unknownVersion = Code("unknown version")
        /// An enumerated field holds a code or spelling that is not defined.
        public static let unknownValue = Code("unknown value")
        /// The signature block names a scheme this build does not read.
        public static let unknownSignatureScheme = Code("unknown signature scheme")
        /// Bytes follow the end of the envelope.
        public static let trailingBytes = Code("trailing bytes")
        /// A required field is absent.
        public static let missingField = Code("missing field")
        /// A field tag (binary) or key (JSON) that is not defined.
        public static let unknownField = Code("unknown field")
        /// The field is well-formed but its value is not allowed (bad node ID, bad UTF-8, empty list ...).
        public static let invalidValue = Code("invalid value")
        /// The bytes are not in canonical form (fields out of order or repeated, a default spelled out), so
        /// they cannot be what was signed.
        public static let nonCanonical = Code("non-canonical")
        /// The JSON text is not a JSON object.
        public static let malformedJSON = Code("malformed JSON")

        public var description: String { name }
    }

    public let code: Code
    /// The field concerned, with the DESIGN.md §4 name (`to`, `crime_areas`, ...) or an envelope part
    /// (`magic`, `version`, `header`, `body`, `signature`).
    public let field: String
    /// A human explanation.
    public let detail: String
    /// The byte offset into the input, for binary input.
    public let offset: Int?

    public init(_ code: Code, field: String, _ detail: String, offset: Int? = nil) {
        self.code = code
        self.field = field
        self.detail = detail
        self.offset = offset
    }

    /// The same error at a byte offset of the input (kept when it already has one).
    func at(_ offset: Int) -> MessageFormatError {
        self.offset == nil ? MessageFormatError(code, field: field, detail, offset: offset) : self
    }

    public var description: String {
        let at = offset.map { " at byte \($0)" } ?? ""
        return "\(code) in field '\(field)'\(at): \(detail)"
    }

    /// A value quoted in an error: in full up to 200 bytes, else its start and its length, so that a 50-MB value
    /// gives a short sentence.
    public static func quote(_ text: some StringProtocol) -> String {
        let bytes = text.utf8.count
        guard bytes > 200 else { return "'\(text)'" }
        var prefix = Substring(text).prefix(120)
        while prefix.utf8.count > 120 { prefix = prefix.dropLast() }
        return "'\(prefix)…' (\(bytes) bytes)"
    }
}
