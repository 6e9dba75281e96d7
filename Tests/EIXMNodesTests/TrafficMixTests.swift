import EIXMModel
import EIXMNodes
import EIXMRules
import Testing

@Suite("Traffic mix")
struct TrafficMixTests {
    static let nodes: [NodeID] = MemberState.allCases.map(NodeID.spoc) + [.europol, .eurojust, .frontex]

    @Test(
        "every message of every sending node is a valid header, rule-breaking ones included",
        arguments: [NodeID.spoc(.be), .frontex, .eurojust]
    )
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

    @Test(
        "a designated authority asks foreign SPOCs; the rules accept its well-formed requests and copy its own SPOC (CH-03, CH-04)"
    )
    func designatedAuthority() throws {
        var rules = RulesConfiguration.builtIn()
        let authority = try #require(DesignatedAuthorities.ids(count: 2, among: [.spoc(.be), .spoc(.fr)]).first)
        #expect(authority.id.rawValue == "DLEA-BE-00001")
        rules.directory.add(
            NodeProfile(id: authority.id, kind: .designatedLea, state: authority.state, languages: [.english])
        )
        var behaviour = NodeBehaviour()
        behaviour.ruleBreakingShare = 0
        var mix = TrafficMix(
            node: authority.id,
            behaviour: behaviour,
            rules: rules,
            peers: Self.nodes + [authority.id],
            seed: 3
        )
        #expect(mix.ratePerHour == behaviour.requestsPerHour)
        let engine = RulesEngine(configuration: rules)
        var random = SeededGenerator(seed: 9)
        for _ in 0..<200 {
            let made = mix.next(id: random.uuid(), at: SampleTime.start)
            let header = try #require(made)
            #expect(header.sender == authority.id)
            #expect(header.messageType == .request)
            #expect(
                header.to.count == 1 && header.to[0].spocState != nil && header.to[0] != .spoc(.be),
                "a foreign SPOC"
            )
            let decision = engine.decide(header, receivedAt: SampleTime.start, context: CaseContext())
            #expect(decision.verdict == .accept, "\(decision.rules)")
            #expect(decision.obligations.contains { $0.kind == .copy && $0.rule == .ch04 && $0.to == .spoc(.be) })
        }
    }

    @Test("the same seed makes the same messages")
    func seeded() {
        var first = TrafficMix(
            node: .spoc(.fr),
            behaviour: NodeBehaviour(),
            rules: .builtIn(),
            peers: Self.nodes,
            seed: 5
        )
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
