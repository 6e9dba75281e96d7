import EIXMModel
import EIXMRules

extension ExerciseConfiguration {
    /// Adds `count` designated law-enforcement authorities (``DesignatedAuthorities``) to the nodes and to the rules'
    /// directory, as DESIGNATED_LEA of their state with its languages: the rules treat them as what they are (CH-03
    /// lets them ask a foreign SPOC, CH-04 copies their own SPOC). Authorities already present are not added twice.
    public mutating func addDesignatedAuthorities(_ count: Int) {
        var present = Set(nodes)
        for (id, state) in DesignatedAuthorities.ids(count: count, among: nodes) where present.insert(id).inserted {
            nodes.append(id)
            rules.directory.add(
                NodeProfile(
                    id: id,
                    kind: .designatedLea,
                    state: state,
                    languages: rules.directory.states[state]?.languages ?? []
                )
            )
        }
    }
}
