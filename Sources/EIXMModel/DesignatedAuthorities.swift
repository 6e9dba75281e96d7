/// The designated law-enforcement authorities a large run adds beyond the exercise's nodes (`eixm load --nodes N`,
/// an exercise file's `{designated_authorities: N}`, `eixm pki init --designated-authorities N`): authorities of the
/// member states whose SPOC takes part, in turn, numbered per state: `DLEA-BE-00001`, `DLEA-BG-00001`, ...
/// Every command that names them names the same ones, so a router, its PKI and the load processes agree.
public enum DesignatedAuthorities {
    /// The largest number a run adds.
    public static let maximum = 100_000

    /// `count` authority IDs spread over the states of the SPOCs in `nodes` (in state order); none when no SPOC
    /// takes part.
    public static func ids(count: Int, among nodes: [NodeID]) -> [(id: NodeID, state: MemberState)] {
        let states = MemberState.allCases.filter { nodes.contains(.spoc($0)) }
        guard !states.isEmpty else { return [] }
        return (0..<max(0, count)).map { index in
            let state = states[index % states.count]
            let number = index / states.count + 1
            let digits = String(number)
            let padded = String(repeating: "0", count: max(0, 5 - digits.count)) + digits
            return (NodeID(unchecked: "DLEA-\(state.rawValue)-\(padded)"), state)
        }
    }
}
