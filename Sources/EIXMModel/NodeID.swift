/// The identity of a node: `SPOC-BE` ... `SPOC-CH`, `EUROPOL`, `EUROJUST`, `FRONTEX`, or any other configured name.
///
/// Grammar: 1 to 64 characters from `A-Z`, `0-9` and `-`, starting with a letter. Input is upper-cased, and
/// `SPOC-GR` is normalised to `SPOC-EL` (EIXM-RULES.md §7.5). The same ID is bound in the node's certificate.
public struct NodeID: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let rawValue: String

    /// The longest node ID, in bytes.
    public static let maximumLength = 64

    public static let europol = NodeID(unchecked: "EUROPOL")
    public static let eurojust = NodeID(unchecked: "EUROJUST")
    public static let frontex = NodeID(unchecked: "FRONTEX")
    /// The router's own identity, bound in its certificate.
    public static let router = NodeID(unchecked: "EIXM-ROUTER")

    /// The SPOC of a Member State or Schengen associated country.
    public static func spoc(_ state: MemberState) -> NodeID { NodeID(unchecked: "SPOC-" + state.rawValue) }

    /// The 34 nodes of the default exercise: the 31 SPOCs, Europol, Eurojust and Frontex.
    public static let defaultExercise: [NodeID] = MemberState.allCases.map(spoc) + [europol, eurojust, frontex]

    /// A node ID from text, or `nil` when the text breaks the grammar.
    public init?(_ text: String) {
        var upper = text.uppercased()
        if upper == "SPOC-GR" { upper = "SPOC-EL" }
        guard Self.isValid(upper.utf8) else { return nil }
        rawValue = upper
    }

    init(unchecked rawValue: String) { self.rawValue = rawValue }

    /// A node ID from bytes already in canonical form (upper case, `SPOC-EL` not `SPOC-GR`), or `nil`: the
    /// decoder's path, which neither upper-cases nor normalises.
    init?(canonical bytes: ArraySlice<UInt8>) {
        guard Self.isValid(bytes), !bytes.elementsEqual("SPOC-GR".utf8) else { return nil }
        rawValue = String(decoding: bytes, as: UTF8.self)
    }

    /// The node kind implied by the ID itself: SPOCs of known states and the three agencies. Other IDs take
    /// their kind from the node directory of the configuration.
    public var wellKnownKind: NodeKind? {
        switch rawValue {
        case "EUROPOL": .europol
        case "EUROJUST": .eurojust
        case "FRONTEX": .frontex
        default: spocState == nil ? nil : .spoc
        }
    }

    /// The state whose SPOC this is, for IDs of the form `SPOC-XX`. Cheap: it reads seven bytes and allocates
    /// nothing, because the router and the rules ask it for nearly every message.
    public var spocState: MemberState? {
        let utf8 = rawValue.utf8
        guard utf8.count == 7 else { return nil }
        let state = utf8.withContiguousStorageIfAvailable { bytes -> MemberState? in
            // "SPOC-" is 0x53 0x50 0x4F 0x43 0x2D.
            guard bytes[0] == 0x53, bytes[1] == 0x50, bytes[2] == 0x4F, bytes[3] == 0x43, bytes[4] == 0x2D else {
                return nil
            }
            return MemberState(bytes[5], bytes[6])
        }
        if let state { return state }
        guard rawValue.hasPrefix("SPOC-") else { return nil }
        let letters = Array(utf8.dropFirst(5))
        return MemberState(letters[0], letters[1])
    }

    public var description: String { rawValue }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    static func isValid(_ utf8: some Collection<UInt8>) -> Bool {
        guard let first = utf8.first, utf8.count <= maximumLength, first >= 0x41, first <= 0x5A else { return false }
        return utf8.allSatisfy { ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }
    }
}
