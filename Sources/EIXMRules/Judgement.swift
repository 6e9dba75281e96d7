import EIXMModel

/// The engine's work on one message: the facts every rule reads (computed once), and the firings and duties the
/// rules add. The header itself is passed to each check rather than stored, so that judging copies none of it. The checks live in `Judgement+<Group>.swift`, one file per group of EIXM-RULES.md §6.
struct Judgement {
    let receivedAt: Timestamp
    let context: CaseContext.Entries
    let tables: RulesEngine.Tables

    /// The sender's profile, when the directory knows it.
    let sender: NodeProfile?
    /// The recipients' profiles (`to` then `cc`); unknown nodes are left out.
    let recipients: [NodeProfile]
    /// Whether the message is exchanged under Directive 2023/977.
    let isDirective: Bool
    /// in_mandate(msg) of EIXM-RULES.md §6: a mandate crime area and, if configured, two or more states.
    let inMandate: Bool
    /// Whether a crime area is a serious criminal offence (Dir Art 2(3)).
    let isSerious: Bool
    /// For a forward: the message whose information it passes on, if remembered.
    let source: CaseContext.Message?
    /// For an answer: the message it answers, if remembered.
    let answered: CaseContext.Message?

    private(set) var firings: [RuleFiring] = []
    private(set) var obligations: [Obligation] = []

    init(header: Header, receivedAt: Timestamp, context: CaseContext, tables: RulesEngine.Tables) {
        self.receivedAt = receivedAt
        self.context = context.lookup
        self.tables = tables
        let configuration = tables.configuration
        let directory = configuration.directory
        let sender = directory.profile(header.sender)
        self.sender = sender
        var recipients: [NodeProfile] = []
        recipients.reserveCapacity(header.to.count + header.cc.count)
        for node in header.to { if let profile = directory.profile(node) { recipients.append(profile) } }
        for node in header.cc { if let profile = directory.profile(node) { recipients.append(profile) } }
        self.recipients = recipients
        isDirective = header.legalBasis == .dir2023977
        isSerious = configuration.seriousCrimeAreas.containsAny(of: header.crimeAreas)
        if configuration.mandateCrimeAreas.containsAny(of: header.crimeAreas) {
            if configuration.mandateRequiresTwoStates {
                var states: UInt64 = 0
                for state in header.affectedStates { states |= 1 << UInt64(state.wireCode) }
                if let state = sender?.state { states |= 1 << UInt64(state.wireCode) }
                for recipient in recipients { if let state = recipient.state { states |= 1 << UInt64(state.wireCode) } }
                inMandate = states.nonzeroBitCount >= 2
            } else {
                inMandate = true
            }
        } else {
            inMandate = false
        }
        source = header.forwardedFrom.flatMap { context.entry($0)?.message }
        answered = header.inReplyTo.flatMap { context.entry($0)?.message }
    }

    // MARK: - Recording what the rules find

    private func isEnabled(_ rule: RuleID) -> Bool {
        tables.configuration.disabledRules.isEmpty || !tables.configuration.disabledRules.contains(rule)
    }

    /// The message breaks `rule`.
    mutating func violate(_ rule: RuleID, _ reason: String) {
        guard isEnabled(rule) else { return }
        if firings.isEmpty { firings.reserveCapacity(4) }
        firings.append(RuleFiring(rule, .violation, reason))
    }

    /// `rule` applies and is noted; the message is not rejected for it.
    mutating func note(_ rule: RuleID, _ reason: String) {
        guard isEnabled(rule) else { return }
        if firings.isEmpty { firings.reserveCapacity(4) }
        firings.append(RuleFiring(rule, .note, reason))
    }

    /// `rule` creates a duty. A rule that creates several duties (a log for each SPOC involved) fires once, with
    /// the first reason; callers do not repeat a duty (they check ``copies(to:)`` before adding a copy).
    mutating func oblige(_ obligation: Obligation, _ reason: String) {
        guard isEnabled(obligation.rule) else { return }
        if !firings.contains(where: { $0.rule == obligation.rule && $0.effect == .obligation }) {
            if firings.isEmpty { firings.reserveCapacity(4) }
            firings.append(RuleFiring(obligation.rule, .obligation, reason))
        }
        if obligations.isEmpty { obligations.reserveCapacity(4) }
        obligations.append(obligation)
    }

    // MARK: - Facts shared by several rules

    /// Whether `node` is the sender or a recipient.
    func involves(_ header: Header, _ node: NodeID) -> Bool {
        header.sender == node || header.to.contains(node) || header.cc.contains(node)
    }

    /// Whether `node` is a recipient.
    func addresses(_ header: Header, _ node: NodeID) -> Bool { header.to.contains(node) || header.cc.contains(node) }

    /// Whether a duty already sends a copy to `node`.
    func copies(to node: NodeID) -> Bool {
        obligations.contains { $0.kind == .copy && $0.to == node }
    }

    /// The recipients that are another state's node, with that state.
    var foreignRecipients: [NodeProfile] {
        recipients.filter { $0.state != nil && $0.state != sender?.state }
    }

    /// Whether the information comes from a state other than the sender's without its consent.
    func lacksOriginatorConsent(_ header: Header) -> Bool {
        guard let origin = header.originatorState, origin != sender?.state else { return false }
        return header.originatorConsent != true
    }

    /// The states other than the sender's that the information came from: `originator_ms`, and the state of the
    /// sender of the message it forwards (`forwarded_from`), whatever `originator_ms` says.
    func originStates(_ header: Header) -> [MemberState] {
        var states: [MemberState] = []
        if let origin = header.originatorState { states.append(origin) }
        if let source, let state = tables.configuration.directory.profile(source.header.sender)?.state,
            !states.contains(state)
        {
            states.append(state)
        }
        return states.filter { $0 != sender?.state }
    }

    /// The origin states whose consent the message lacks: consent (`originator_consent`) is given for the state
    /// `originator_ms` names only.
    func originsWithoutConsent(_ header: Header) -> [MemberState] {
        originStates(header).filter { $0 != header.originatorState || header.originatorConsent != true }
    }

    /// Whether every recipient belongs to `state`: the information goes back where it came from, which needs no
    /// consent (RF-h, HC-04 protect a third state's information).
    func goesOnlyBack(to state: MemberState) -> Bool {
        !recipients.isEmpty && recipients.allSatisfy { $0.state == state }
    }

    /// Whether a provider's permission is recorded (HC-03, HC-04, EU-06, EJ-05).
    func hasProviderPermission(_ header: Header) -> Bool { !header.providerPermissionTokens.isEmpty }
}
