import EIXMModel

/// The nodes the rules know: a SPOC for each configured state, Europol, Eurojust and Frontex, and any further
/// configured node (designated LEAs, judicial authorities, third-country authorities ...).
public struct NodeDirectory: Sendable {
    public private(set) var states: [MemberState: StatePolicy]
    /// SPOC profiles by their state's wire code: the common case is found without hashing.
    private var spocs: [NodeProfile?]
    /// Every other node.
    private var others: [NodeID: NodeProfile]

    public init(states: [MemberState: StatePolicy], extraNodes: [NodeProfile] = []) {
        self.states = states
        spocs = [NodeProfile?](repeating: nil, count: MemberState.allCases.count + 1)
        others = [:]
        for (state, policy) in states {
            spocs[Int(state.wireCode)] = NodeProfile(
                id: .spoc(state),
                kind: .spoc,
                state: state,
                languages: policy.languages,
                judicialCooperation: policy.spocHasJudicialCompetence
            )
        }
        for agency in [NodeID.europol, .eurojust, .frontex] {
            others[agency] = NodeProfile(id: agency, kind: agency.wellKnownKind!, languages: [.english])
        }
        for node in extraNodes { others[node.id] = node }
    }

    /// Adds (or replaces) a node other than a SPOC.
    public mutating func add(_ profile: NodeProfile) { others[profile.id] = profile }

    /// The profile of a node, or `nil` when the directory does not know it.
    public func profile(_ node: NodeID) -> NodeProfile? {
        if let state = node.spocState { return spocProfile(of: state) }
        return others[node]
    }

    /// The profile of a state's SPOC, if the state is configured.
    public func spocProfile(of state: MemberState) -> NodeProfile? { spocs[Int(state.wireCode)] }

    /// Every known node, sorted.
    public var nodes: [NodeID] { (spocs.compactMap { $0?.id } + others.keys).sorted() }

    /// The SPOC of a state.
    public func spoc(of state: MemberState) -> NodeID { .spoc(state) }

    /// The ENU of a state: its configured ENU node, or its SPOC.
    public func enu(of state: MemberState) -> NodeID { states[state]?.enu ?? .spoc(state) }
}
