/// A frame that cannot be read: which frame type (if known), what is wrong. The connection that sent it is
/// closed; nothing else is affected.
public struct FrameError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        private init(_ name: String) { self.name = name }

        /// The frame type byte is not defined.
        public static let unknownType = Code("unknown frame type")
        /// The frame ends early.
        public static let truncated = Code("truncated frame")
        /// Bytes follow the end of the frame's content.
        public static let trailingBytes = Code("trailing bytes")
        /// A length prefix or a field is larger than allowed.
        public static let tooLarge = Code("frame too large")
        /// A field holds a value that is not allowed (bad node ID, bad UTF-8).
        public static let invalidValue = Code("invalid value")

        public var description: String { name }
    }

    public let code: Code
    public let detail: String

    public init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    public var description: String { "\(code): \(detail)" }
}
