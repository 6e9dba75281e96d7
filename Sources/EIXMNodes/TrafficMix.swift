import EIXMModel
import EIXMRules
import Foundation

/// The messages one node sends of its own accord, drawn from its behaviour: SPOC requests and spontaneous
/// information (some to third-country authorities), Frontex risk analysis and Article 90 personal data for
/// Europol, Eurojust coordination, judicial authorities' requests to Eurojust; at the behaviour's share, a
/// message that breaks one rule. The exercise's nodes and `eixm load` draw their traffic from it.
public struct TrafficMix: Sendable {
    public let node: NodeID
    public let behaviour: NodeBehaviour
    let kind: NodeKind?
    let directory: NodeDirectory
    /// The nodes this node may address (itself excepted when drawing).
    let peers: Peers
    var random: SeededGenerator
    /// Messages made so far: numbers the case IDs.
    private(set) var made = 0
    /// The message being made: its ID and time.
    private var id = UUID()
    private var time = Timestamp(millisecondsSinceEpoch: 0)

    /// The nodes of a run as the traffic draws from them, sorted out once and shared by every node's mix (a run of
    /// 10,000 authorities must not hold 10,000 copies of the list, nor filter it per message).
    public struct Peers: Sendable {
        /// The SPOCs, in the order of the node list.
        let spocs: [NodeID]
        /// Third-country authorities and international organisations.
        let thirdCountries: [NodeID]
        let all: Set<NodeID>

        public init(_ nodes: [NodeID], rules: RulesConfiguration) {
            spocs = nodes.filter { $0.wellKnownKind == .spoc }
            thirdCountries = nodes.filter { rules.directory.profile($0)?.isThirdParty == true }
            all = Set(nodes)
        }
    }

    public init(node: NodeID, behaviour: NodeBehaviour, rules: RulesConfiguration, peers: [NodeID], seed: UInt64) {
        self.init(node: node, behaviour: behaviour, rules: rules, peers: Peers(peers, rules: rules), seed: seed)
    }

    public init(node: NodeID, behaviour: NodeBehaviour, rules: RulesConfiguration, peers: Peers, seed: UInt64) {
        self.node = node
        self.behaviour = behaviour
        kind = rules.directory.profile(node)?.kind
        directory = rules.directory
        self.peers = peers
        random = SeededGenerator(seed: seed)
    }

    /// A random node of `nodes` other than those `excluded` says, drawn as `randomElement` would draw from the
    /// list without them (the same seeded sequence), without making that list when only one is excluded.
    private mutating func draw(from nodes: [NodeID], excluding excluded: (NodeID) -> Bool) -> NodeID? {
        let skipped = nodes.indices.filter { excluded(nodes[$0]) }
        guard nodes.count > skipped.count else { return nil }
        var index = Int.random(in: 0..<(nodes.count - skipped.count), using: &random)
        for position in skipped where position <= index { index += 1 }
        return nodes[index]
    }

    /// New messages per simulated hour for this node's kind.
    public var ratePerHour: Double {
        switch kind {
        case .spoc: behaviour.requestsPerHour + behaviour.spontaneousPerHour
        case .designatedLea: behaviour.requestsPerHour
        case .frontex, .eurojust, .judicialAuthority: behaviour.spontaneousPerHour
        default: 0
        }
    }

    /// The next message, with `id`, created at `time`: well-formed, or at the behaviour's rule-breaking share
    /// changed to break one rule; `nil` when this node has no one to send to.
    public mutating func next(id: UUID, at time: Timestamp) -> Header? {
        self.id = id
        self.time = time
        made += 1
        guard var header = newMessage() else { return nil }
        if chance(behaviour.ruleBreakingShare) { breakARule(&header) }
        return header
    }

    private mutating func chance(_ share: Double) -> Bool { Double.random(in: 0..<1, using: &random) < share }

    /// A well-formed message of the kind this node sends.
    private mutating func newMessage() -> Header? {
        let others = { [node] (peer: NodeID) in peer == node }
        switch kind {
        case .spoc:
            if !peers.thirdCountries.isEmpty, chance(behaviour.thirdCountryShare),
                let target = draw(from: peers.thirdCountries, excluding: others)
            {
                return thirdCountryRequest(to: target)
            }
            guard let target = draw(from: peers.spocs, excluding: others) else { return nil }
            let total = behaviour.requestsPerHour + behaviour.spontaneousPerHour
            return spocMessage(to: target, request: chance(behaviour.requestsPerHour / total))
        case .designatedLea:
            // A designated authority asks a foreign SPOC (CH-03 allows it; CH-04 copies its own SPOC).
            let state = directory.profile(node)?.state
            guard let target = draw(from: peers.spocs, excluding: { $0.spocState == state }) else { return nil }
            return spocMessage(to: target, request: true)
        case .frontex:
            if chance(behaviour.personalDataShare), peers.all.contains(.europol), node != .europol {
                return frontexPersonalData()
            }
            guard let target = draw(from: peers.spocs, excluding: others) else { return nil }
            return frontexRiskAnalysis(to: target)
        case .eurojust:
            guard let target = draw(from: peers.spocs, excluding: others) else { return nil }
            var header = base(to: target, type: .spontaneous, basis: .ej20181727)
            header.purpose = .judicialCoordination
            header.handlingCodes = HandlingCodes()
            header.language = .english
            return header
        case .judicialAuthority:
            guard peers.all.contains(.eurojust), node != .eurojust else { return nil }
            var header = base(to: .eurojust, type: .spontaneous, basis: .ej20181727)
            header.channel = .eurojust
            header.purpose = .judicialCoordination
            header.handlingCodes = HandlingCodes()
            header.language = .english
            header.crimeAreas = [weightedCrimeArea()]
            header.assistanceRequested = true
            if chance(behaviour.jitShare) { header.jitEvent = .jitSetUp }
            return header
        default:
            return nil
        }
    }

    /// A request to a third-country authority: via Interpol, under national law, no personal data.
    private mutating func thirdCountryRequest(to target: NodeID) -> Header {
        var header = base(to: target, type: .request, basis: .national)
        header.channel = .interpol
        header.crimeAreas = [weightedCrimeArea()]
        header.language = .english
        header.urgency = .nonUrgent
        return header
    }

    private func base(to target: NodeID, type: MessageType, basis: LegalBasis) -> Header {
        var header = Header(
            id: id,
            sender: node,
            to: [target],
            channel: .siena,
            messageType: type,
            legalBasis: basis,
            createdAt: time
        )
        header.caseID = "\(node.rawValue)-\(made)"
        header.handlingCodes = HandlingCodes([.h0])
        header.purpose = .crimeInvestigation
        return header
    }

    private mutating func spocMessage(to target: NodeID, request: Bool) -> Header {
        var header = base(to: target, type: request ? .request : .spontaneous, basis: .dir2023977)
        header.crimeAreas = [weightedCrimeArea()]
        var states: [MemberState] = [directory.profile(node)?.state, target.spocState].compactMap { $0 }
        if chance(behaviour.thirdStateShare), let third = MemberState.allCases.randomElement(using: &random),
            !states.contains(third)
        {
            states.append(third)
        }
        header.affectedStates = states
        let languages = directory.profile(target)?.languages ?? [.english]
        header.language = chance(0.7) ? .english : languages.randomElement(using: &random)
        if request {
            header.urgency = chance(behaviour.urgentShare) ? .urgent : .nonUrgent
            if header.urgency == .urgent { header.urgencyReason = UrgencyReason.allCases.randomElement(using: &random) }
            header.accessibility = chance(behaviour.directShare) ? .direct : .indirect
        }
        if chance(behaviour.personalDataShare) {
            header.containsPersonalData = true
            header.dataSubjectCategories = chance(0.8) ? [.suspect] : [.suspect, .contactOrAssociate]
            header.evaluation = Evaluation(source: "B", info: "2")
        }
        decideEuropolCopy(&header)
        return header
    }

    /// The sender's case-by-case Europol-copy decision (EU-02), recorded on every Directive message.
    private mutating func decideEuropolCopy(_ header: inout Header) {
        if chance(behaviour.europolCopyShare) {
            header.copyToEuropol = true
        } else {
            header.copyToEuropol = false
            header.copyToEuropolReason = "no link to Europol's analysis projects in this case"
        }
    }

    private func frontexRiskAnalysis(to target: NodeID) -> Header {
        var header = base(to: target, type: .spontaneous, basis: .ebcg20191896)
        header.purpose = .riskAnalysis
        header.handlingCodes = HandlingCodes()
        header.crimeAreas = [.immigrantSmuggling]
        header.language = .english
        return header
    }

    /// Operational personal data to Europol under the Art 90 conditions (PD-03).
    private mutating func frontexPersonalData() -> Header {
        var header = base(to: .europol, type: .spontaneous, basis: .ebcg20191896)
        header.crimeAreas = [chance(0.5) ? .immigrantSmuggling : .traffickingInHumanBeings]
        let states = MemberState.allCases.filter(\.isEUMember)
        header.affectedStates = [states.randomElement(using: &random)!, states.randomElement(using: &random)!]
        if header.affectedStates[0] == header.affectedStates[1] { header.affectedStates = [.es, .it] }
        header.language = .english
        header.containsPersonalData = true
        header.dataSubjectCategories = [.suspect]
        header.collectionContext = .crossBorderCrime
        header.strictNecessityAssessmentID = "SNA-\(made)"
        return header
    }

    private mutating func weightedCrimeArea() -> CrimeArea {
        let areas = behaviour.crimeAreas.sorted { $0.key.wireCode < $1.key.wireCode }
        let total = areas.reduce(0) { $0 + $1.value }
        var pick = Double.random(in: 0..<max(total, 1e-9), using: &random)
        for (area, weight) in areas {
            if pick < weight { return area }
            pick -= weight
        }
        return areas.last?.key ?? .drugTrafficking
    }

    /// Changes a message so that it breaks one rule, as people do: the exercise must see rejections.
    private mutating func breakARule(_ header: inout Header) {
        switch Int.random(in: 0..<8, using: &random) {
        case 0: header.channel = .bilateralLo
        case 1:
            header.messageType = .request
            header.urgency = .urgent
            header.urgencyReason = nil
        case 2: header.language = LanguageCode("XX")
        case 3:
            header.copyToEuropol = nil
            header.crimeAreas = [.drugTrafficking]
            if header.affectedStates.count < 2 { header.affectedStates = [.be, .nl] }
        case 4: header.evaluation = Evaluation(source: "D", info: "5")
        case 5:
            header.handlingCodes.insert(.h3)
            header.h3Text = nil
        case 6:
            // Outside Europol's mandate, yet sent to Europol (copied, unless it is already addressed).
            header.crimeAreas = [.simpleTheft]
            if !header.recipients.contains(.europol) { header.cc = [.europol] }
        default:
            header.containsPersonalData = true
            header.dataSubjectCategories = []
        }
    }

    public static func body(for header: Header) -> String {
        "\(header.messageType) \(header.caseID ?? "") on \(header.crimeAreas.map(\.rawValue).joined(separator: ", ")): "
            + "operational details for the exercise; subjects, places and vehicles as in the case file."
    }
}
