/// A closed set of values with a stable spelling (its raw value, used in JSON and on the command line) and a
/// stable one-byte wire code (its position in `allCases`, counted from 1).
///
/// Wire codes follow declaration order, so new cases are only ever appended. The golden vectors in the tests
/// pin the codes that exist.
public protocol WireEnum: RawRepresentable, CaseIterable, Hashable, Sendable, CustomStringConvertible
where RawValue == String, AllCases == [Self] {
    /// The lookup table between cases and wire codes; each conforming type declares `static let wire = WireTable<Self>()`.
    static var wire: WireTable<Self> { get }
}

extension WireEnum {
    /// The one-byte code of this value on the wire.
    @inlinable
    public var wireCode: UInt8 { Self.wire.code(of: self) }

    /// The value with this wire code, or `nil` when the code is unknown.
    @inlinable
    public init?(wireCode: UInt8) {
        guard let value = Self.wire.value(for: wireCode) else { return nil }
        self = value
    }

    public var description: String { rawValue }

    /// Every spelling, comma separated: for error messages and help text.
    public static var spellings: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

/// The table behind ``WireEnum``: built once per type.
///
/// A value's code is its position in `allCases` plus one. For a payload-free enum Swift stores exactly that
/// position in one byte; the table checks this for every case when it is built and then reads the byte instead
/// of hashing (the router's hot path asks for codes many times per message). Where the check fails, it falls back
/// to a dictionary.
public struct WireTable<Value: Hashable & CaseIterable & Sendable>: Sendable where Value.AllCases == [Value] {
    @usableFromInline let values: [Value]
    @usableFromInline let codes: [Value: UInt8]
    @usableFromInline let storedAsPosition: Bool

    public init() {
        let values = Value.allCases
        precondition(values.count < 255, "a wire enum holds at most 254 cases")
        self.values = values
        var codes: [Value: UInt8] = [:]
        var storedAsPosition = MemoryLayout<Value>.size == 1
        for (index, value) in values.enumerated() {
            codes[value] = UInt8(index + 1)
            if storedAsPosition {
                storedAsPosition = withUnsafeBytes(of: value) { $0[0] == UInt8(index) }
            }
        }
        self.codes = codes
        self.storedAsPosition = storedAsPosition
    }

    @inlinable
    public func code(of value: Value) -> UInt8 {
        if storedAsPosition {
            return withUnsafeBytes(of: value) { $0[0] } + 1
        }
        return codes[value]!
    }

    @inlinable
    public func value(for code: UInt8) -> Value? {
        let index = Int(code) - 1
        return index >= 0 && index < values.count ? values[index] : nil
    }
}
