import EIXMModel

/// The nodes the rules know: a SPOC for each configured state, Europol, Eurojust and Frontex, and any further
/// configured node (designated LEAs, judicial authorities, third-country authorities ...).
public struct NodeDirectory: Sendable {
    public private(set) var states: [MemberState: StatePolicy]
    private var profiles: [NodeID: NodeProfile]

    public init(states: [MemberState: StatePolicy], extraNodes: [NodeProfile] = []) {
        self.states = states
        profiles = [:]
        for (state, policy) in states {
            let spoc = NodeID.spoc(state)
            profiles[spoc] = NodeProfile(
                id: spoc,
                kind: .spoc,
                state: state,
                languages: policy.languages,
                judicialCooperation: policy.spocHasJudicialCompetence
            )
        }
        for agency in [NodeID.europol, .eurojust, .frontex] {
            profiles[agency] = NodeProfile(id: agency, kind: agency.wellKnownKind!, languages: [.english])
        }
        for node in extraNodes { profiles[node.id] = node }
    }

    /// The profile of a node, or `nil` when the directory does not know it.
    public func profile(_ node: NodeID) -> NodeProfile? { profiles[node] }

    /// Every known node, sorted.
    public var nodes: [NodeID] { profiles.keys.sorted() }

    /// The SPOC of a state.
    public func spoc(of state: MemberState) -> NodeID { .spoc(state) }

    /// The ENU of a state: its configured ENU node, or its SPOC.
    public func enu(of state: MemberState) -> NodeID { states[state]?.enu ?? .spoc(state) }
}
