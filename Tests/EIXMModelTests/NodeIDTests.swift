import EIXMModel
import Testing

@Suite("Node IDs")
struct NodeIDTests {
    @Test("the default exercise has 31 SPOCs and the three agencies")
    func defaultExercise() {
        #expect(NodeID.defaultExercise.count == 34)
        #expect(NodeID.defaultExercise.filter { $0.wellKnownKind == .spoc }.count == 31)
        #expect(Set(NodeID.defaultExercise).count == 34)
        #expect(NodeID.europol.wellKnownKind == .europol)
        #expect(NodeID.eurojust.wellKnownKind == .eurojust)
        #expect(NodeID.frontex.wellKnownKind == .frontex)
    }

    @Test("Greece is accepted as EL and GR and normalised to EL")
    func greece() {
        #expect(NodeID("SPOC-GR") == NodeID.spoc(.el))
        #expect(NodeID("spoc-el") == NodeID.spoc(.el))
        #expect(MemberState(code: "GR") == .el)
        #expect(MemberState(code: "EL") == .el)
        #expect(NodeID.spoc(.el).spocState == .el)
    }

    @Test(
        "the grammar refuses what is not a node ID",
        arguments: ["", "1SPOC", "SPOC_BE", "SPOC BE", "É", String(repeating: "A", count: 65)]
    )
    func refusesBadIDs(text: String) {
        #expect(NodeID(text) == nil)
    }

    @Test("other names are node IDs without a well-known kind")
    func configuredNodes() throws {
        let judge = try #require(NodeID("JA-BE-BRUSSELS"))
        #expect(judge.wellKnownKind == nil)
        #expect(NodeID("SPOC-XX")?.wellKnownKind == nil)
        #expect(NodeID(String(repeating: "A", count: 64)) != nil)
    }

    @Test("Schengen associated countries are not EU members")
    func associatedCountries() {
        #expect(MemberState.allCases.count == 31)
        #expect(MemberState.allCases.filter { !$0.isEUMember } == [.is, .li, .no, .ch])
    }
}
