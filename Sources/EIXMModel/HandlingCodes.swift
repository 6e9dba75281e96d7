/// The set of handling codes a message carries. On the wire it is one byte, bit `n` for code `Hn`.
public struct HandlingCodes: Hashable, Sendable {
    /// The bit mask: bit 0 is H0, bit 3 is H3.
    public private(set) var bits: UInt8

    public init() { bits = 0 }

    public init(_ codes: some Sequence<HandlingCode>) {
        bits = 0
        for code in codes { insert(code) }
    }

    /// The set for a wire byte, or `nil` when a bit above H3 is set.
    public init?(bits: UInt8) {
        guard bits & 0xF0 == 0 else { return nil }
        self.bits = bits
    }

    public var isEmpty: Bool { bits == 0 }

    public func contains(_ code: HandlingCode) -> Bool { bits & Self.bit(code) != 0 }

    public mutating func insert(_ code: HandlingCode) { bits |= Self.bit(code) }

    /// The codes in ascending order.
    public var codes: [HandlingCode] { HandlingCode.allCases.filter(contains) }

    private static func bit(_ code: HandlingCode) -> UInt8 { 1 << (code.wireCode - 1) }
}
