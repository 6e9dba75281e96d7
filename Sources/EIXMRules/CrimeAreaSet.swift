import EIXMModel

/// A set of crime areas as a bit mask over their wire codes: membership tests cost one AND, so the mandate check
/// stays cheap on the router's hot path.
public struct CrimeAreaSet: Hashable, Sendable {
    private var bits: UInt64

    public init() { bits = 0 }

    public init(_ areas: some Sequence<CrimeArea>) {
        bits = 0
        for area in areas { insert(area) }
    }

    public mutating func insert(_ area: CrimeArea) { bits |= Self.bit(area) }

    public func contains(_ area: CrimeArea) -> Bool { bits & Self.bit(area) != 0 }

    /// Whether any of `areas` is in the set.
    public func containsAny(of areas: [CrimeArea]) -> Bool {
        for area in areas where contains(area) { return true }
        return false
    }

    public var isEmpty: Bool { bits == 0 }

    public var areas: [CrimeArea] { CrimeArea.allCases.filter(contains) }

    private static func bit(_ area: CrimeArea) -> UInt64 { 1 << UInt64(area.wireCode) }
}
