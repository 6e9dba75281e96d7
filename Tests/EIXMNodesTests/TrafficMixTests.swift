import EIXMModel
import EIXMNodes
import EIXMRules
import Testing

@Suite("Traffic mix")
struct TrafficMixTests {
    static let nodes: [NodeID] = MemberState.allCases.map(NodeID.spoc) + [.europol, .eurojust, .frontex]

    @Test("every message of every sending node is a valid header, rule-breaking ones included", arguments: [NodeID.spoc(.be), .frontex, .eurojust])
    func validHeaders(node: NodeID) throws {
        var behaviour = NodeBehaviour()
        behaviour.ruleBreakingShare = 0.5
        var mix = TrafficMix(node: node, behaviour: behaviour, rules: .builtIn(), peers: Self.nodes, seed: 2013)
        #expect(mix.ratePerHour > 0)
        var random = SeededGenerator(seed: 7)
        for _ in 0..<2_000 {
            let id = random.uuid()
            let made = mix.next(id: id, at: SampleTime.start)
            let header = try #require(made)
            #expect(header.sender == node)
            #expect(throws: Never.self, "\(header)") { try header.validate() }
        }
    }

    @Test("the same seed makes the same messages")
    func seeded() {
        var first = TrafficMix(node: .spoc(.fr), behaviour: NodeBehaviour(), rules: .builtIn(), peers: Self.nodes, seed: 5)
        var second = first
        var ids = SeededGenerator(seed: 1)
        for _ in 0..<100 {
            let id = ids.uuid()
            #expect(first.next(id: id, at: SampleTime.start) == second.next(id: id, at: SampleTime.start))
        }
    }
}

enum SampleTime {
    static let start = Timestamp(millisecondsSinceEpoch: 1_795_939_200_000)
}
