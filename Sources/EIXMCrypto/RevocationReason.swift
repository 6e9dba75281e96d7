/// Why a certificate was revoked: the CRLReason codes of RFC 5280 §5.3.1, named as `eixm pki revoke --reason`
/// takes them.
public enum RevocationReason: UInt8, CaseIterable, Sendable, CustomStringConvertible {
    case unspecified = 0
    case keyCompromise = 1
    case caCompromise = 2
    case affiliationChanged = 3
    case superseded = 4
    case cessationOfOperation = 5
    case certificateHold = 6
    case privilegeWithdrawn = 9

    /// The name on the command line and in reports.
    public var name: String {
        switch self {
        case .unspecified: "unspecified"
        case .keyCompromise: "key-compromise"
        case .caCompromise: "ca-compromise"
        case .affiliationChanged: "affiliation-changed"
        case .superseded: "superseded"
        case .cessationOfOperation: "cessation-of-operation"
        case .certificateHold: "certificate-hold"
        case .privilegeWithdrawn: "privilege-withdrawn"
        }
    }

    /// What the reason says, in a few words.
    public var meaning: String {
        switch self {
        case .unspecified: "no reason given"
        case .keyCompromise: "the node's private key is known to others"
        case .caCompromise: "the CA's private key is known to others"
        case .affiliationChanged: "the node's name or organisation changed"
        case .superseded: "replaced by a new certificate"
        case .cessationOfOperation: "the node no longer operates"
        case .certificateHold: "suspended for now"
        case .privilegeWithdrawn: "the node may no longer take part"
        }
    }

    public init?(name: String) {
        guard let reason = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = reason
    }

    public var description: String { name }
}
