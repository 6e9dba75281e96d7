/// A two-letter language code (ISO 639-1), kept in upper case, e.g. `EN`.
public struct LanguageCode: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let rawValue: String

    /// English, which every SPOC's notified languages include.
    public static let english = LanguageCode(unchecked: "EN")

    /// A code from two ASCII letters in either case, or `nil` otherwise.
    public init?(_ text: String) {
        let utf8 = Array(text.utf8)
        guard utf8.count == 2, utf8.allSatisfy({ Self.isASCIILetter($0) }) else { return nil }
        self.rawValue = text.uppercased()
    }

    init(unchecked rawValue: String) { self.rawValue = rawValue }

    public var description: String { rawValue }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    static func isASCIILetter(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }
}
