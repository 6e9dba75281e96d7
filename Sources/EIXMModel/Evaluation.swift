/// The 4x4 evaluation of information (ER Art 29): source reliability and information accuracy, written as a pair
/// such as `B2`.
///
/// The codes are kept as the sender wrote them (one printable ASCII character each), so that a code outside
/// {A, B, C, X} x {1, 2, 3, 4} reaches the router and is rejected there by rule EV-01 with an explanation,
/// rather than being lost as an unreadable message.
public struct Evaluation: Hashable, Sendable, CustomStringConvertible {
    /// The source reliability code as written, e.g. `B`.
    public let source: Character
    /// The information accuracy code as written, e.g. `2`.
    public let info: Character

    /// An evaluation from one printable ASCII character for each code, or `nil` otherwise.
    public init?(source: Character, info: Character) {
        guard Self.isPrintableASCII(source), Self.isPrintableASCII(info) else { return nil }
        self.source = source
        self.info = info
    }

    /// Whether both codes are in ER Art 29's sets: source in {A, B, C, X}, information in {1, 2, 3, 4}.
    public var isValid: Bool { "ABCX".contains(source) && "1234".contains(info) }

    public var description: String { "\(source)\(info)" }

    var wireBytes: (UInt8, UInt8) { (source.asciiValue!, info.asciiValue!) }

    static func isPrintableASCII(_ character: Character) -> Bool {
        guard let ascii = character.asciiValue else { return false }
        return ascii > 0x20 && ascii < 0x7F
    }
}
