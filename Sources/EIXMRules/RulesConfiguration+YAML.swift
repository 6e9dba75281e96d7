import EIXMModel
import Foundation
import Yams

// The rules file (configs/rules.yaml). Every key is listed here; an unknown key, an unknown rule ID, a bad
// value or a missing required key is a problem with file, line and key path.
//
//   mode: DIR_2023_977_FULL | DIR_2023_977_TRANSITIONAL | SFD_LEGACY
//   disabled_rules: [rule IDs]
//   europol_mandate: {require_two_member_states: bool, crime_areas: [CrimeArea]}
//   serious_crime_areas: [CrimeArea]
//   eaw_offence_areas: [CrimeArea]                               (optional; default: the built-in file's list)
//   prum_ii: bool
//   channel_ceilings: {Channel: Classification, ...}            every channel
//   deadlines: {DL-01: dur, DL-02: dur, DL-03: dur, DL-08: dur,
//               DL-09: {urgent: dur, non_urgent: dur, other: dur, postponed: dur (optional, 3d)}}
//   retention: {PD-06: {art90_first_review: dur, art90_review_interval: dur, other_personal_data: dur},
//               LOG-03: {keep: dur, dpa_delivery: dur}}
//   europol_partners: [ISO code or organisation name]       (also read under its older name europol_partner_countries)
//   states: {XX: {languages: [..], direct_europol_contact: bool, enu_copy_opt_out: bool, enu: NODE,
//                 judicial_cooperation: bool}, ...}
//   nodes: [{id: NODE, kind: NodeKind, state: XX, country: ISO or organisation, languages: [..],
//            judicial_cooperation: bool}]

extension RulesConfiguration {
    /// The rules file built into the binary: the text of `configs/rules.yaml`.
    public static let defaultYAML = DefaultRulesYAML.text

    /// The built-in configuration.
    public static func builtIn() -> RulesConfiguration {
        // The built-in text is checked by the tests; it cannot fail to load.
        try! load(yaml: defaultYAML, file: "built-in rules.yaml")
    }

    /// Loads a rules file from disk.
    public static func load(path: String) throws(ConfigurationError) -> RulesConfiguration {
        let text = try ConfigReader.text(ofFile: path)
        return try load(yaml: text, file: path)
    }

    /// Loads a rules file's text; `file` names it in problems.
    public static func load(yaml: String, file: String) throws(ConfigurationError) -> RulesConfiguration {
        var reader = ConfigReader(file: file)
        let configuration = read(yaml: yaml, reader: &reader)
        guard reader.problems.isEmpty, let configuration else {
            throw ConfigurationError(problems: reader.problems)
        }
        return configuration
    }

    /// Every problem of a rules file; empty when it loads.
    public static func lint(yaml: String, file: String) -> [ConfigurationProblem] {
        var reader = ConfigReader(file: file)
        _ = read(yaml: yaml, reader: &reader)
        return reader.problems
    }

    private static let topKeys = [
        "mode", "disabled_rules", "europol_mandate", "serious_crime_areas", "eaw_offence_areas", "prum_ii",
        "channel_ceilings",
        "deadlines", "retention", "europol_partners", "europol_partner_countries", "states", "nodes",
    ]

    /// A Europol partner: a country's ISO code (two capital letters) or an organisation's name (3 to 32 capital
    /// letters, digits, '-' or '_', e.g. INTERPOL).
    static func isPartnerName(_ name: String) -> Bool {
        let scalars = name.unicodeScalars
        let letters = scalars.allSatisfy { ("A"..."Z").contains($0) }
        guard scalars.count != 2 else { return letters }
        let allowed = scalars.allSatisfy {
            ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_"
        }
        return allowed && (3...32).contains(scalars.count)
    }

    private static func read(yaml: String, reader: inout ConfigReader) -> RulesConfiguration? {
        guard let root = reader.root(yaml: yaml) else { return nil }
        // Every key present is checked, also when others are missing: a file is fixed in one pass.
        let top = reader.fields(
            root,
            "",
            allowed: topKeys,
            required: topKeys.filter {
                $0 != "europol_partners" && $0 != "europol_partner_countries" && $0 != "eaw_offence_areas"
            }
        )
        if root.mapping != nil, top["europol_partners"] == nil, top["europol_partner_countries"] == nil {
            reader.problem(root, "europol_partners", "required key is missing")
        }

        let mode = top["mode"].flatMap { reader.value($0, "mode", as: PolicyMode.self) }
        var disabled: Set<RuleID> = []
        for node in top["disabled_rules"].map({ reader.list($0, "disabled_rules") }) ?? [] {
            if let rule = reader.value(node, "disabled_rules", as: RuleID.self) { disabled.insert(rule) }
        }

        let mandate =
            top["europol_mandate"].map {
                reader.fields(
                    $0,
                    "europol_mandate",
                    allowed: ["require_two_member_states", "crime_areas"],
                    required: ["require_two_member_states", "crime_areas"]
                )
            } ?? [:]
        let twoStates = mandate["require_two_member_states"].flatMap {
            reader.bool($0, "europol_mandate.require_two_member_states")
        }
        let mandateAreas =
            mandate["crime_areas"].map { reader.values($0, "europol_mandate.crime_areas", as: CrimeArea.self) } ?? []
        let seriousAreas =
            top["serious_crime_areas"].map { reader.values($0, "serious_crime_areas", as: CrimeArea.self) } ?? []
        let eawAreas = top["eaw_offence_areas"].map {
            CrimeAreaSet(reader.values($0, "eaw_offence_areas", as: CrimeArea.self))
        }
        let prumII = top["prum_ii"].flatMap { reader.bool($0, "prum_ii") }

        var ceilings: [Channel: Classification] = [:]
        if let ceilingsNode = top["channel_ceilings"] {
            for entry in reader.entries(ceilingsNode, "channel_ceilings", allowed: Channel.allCases.map(\.rawValue)) {
                if let level = reader.value(entry.value, "channel_ceilings.\(entry.name)", as: Classification.self) {
                    ceilings[Channel(rawValue: entry.name)!] = level
                }
            }
            for channel in Channel.allCases
            where ceilings[channel] == nil && ceilingsNode.mapping?[channel.rawValue] == nil {
                reader.problem(ceilingsNode, "channel_ceilings.\(channel.rawValue)", "required key is missing")
            }
        }

        let deadlines = top["deadlines"].flatMap { readDeadlines($0, &reader) }
        let retention = top["retention"].flatMap { readRetention($0, &reader) }

        var partners: Set<String> = []
        for key in ["europol_partners", "europol_partner_countries"] {
            for node in top[key].map({ reader.list($0, key) }) ?? [] {
                guard let name = reader.string(node, key) else { continue }
                guard Self.isPartnerName(name) else {
                    reader.problem(
                        node,
                        key,
                        "'\(name)' is neither a two-letter country code nor an organisation's name (3 to 32 capital letters, digits, '-' or '_')"
                    )
                    continue
                }
                partners.insert(name)
            }
        }

        let states = top["states"].map { readStates($0, &reader) }
        let nodes = top["nodes"].map { readNodes($0, partners: partners, &reader) }

        guard reader.problems.isEmpty, let mode, let twoStates, let prumII, let deadlines, let retention, let states,
            let nodes
        else { return nil }
        return RulesConfiguration(
            mode: mode,
            disabledRules: disabled,
            mandateCrimeAreas: CrimeAreaSet(mandateAreas),
            mandateRequiresTwoStates: twoStates,
            seriousCrimeAreas: CrimeAreaSet(seriousAreas),
            // A file written before the key existed gets the list of the built-in file (which has it).
            eawOffenceAreas: eawAreas ?? builtIn().eawOffenceAreas,
            channelCeilings: ceilings,
            prumIIEnabled: prumII,
            deadlines: deadlines,
            retention: retention,
            europolPartners: partners,
            directory: NodeDirectory(states: states, extraNodes: nodes)
        )
    }

    private static func readDeadlines(_ node: Node, _ reader: inout ConfigReader) -> Deadlines? {
        let ids = [RuleID.dl01, .dl02, .dl03, .dl08, .dl09].map(\.rawValue)
        let fields = reader.fields(node, "deadlines", allowed: ids, required: ids)
        func duration(_ id: RuleID) -> Int64? {
            fields[id.rawValue].flatMap { reader.duration($0, "deadlines.\(id.rawValue)") }
        }
        let urgentDirect = duration(.dl01)
        let urgentIndirect = duration(.dl02)
        let nonUrgent = duration(.dl03)
        let sirene = duration(.dl08)
        var legacy: [String: Int64] = [:]
        if let legacyNode = fields[RuleID.dl09.rawValue] {
            let names = ["urgent", "non_urgent", "other"]
            for (name, value) in reader.fields(
                legacyNode,
                "deadlines.DL-09",
                allowed: names + ["postponed"],
                required: names
            ) {
                legacy[name] = reader.duration(value, "deadlines.DL-09.\(name)")
            }
        }
        guard let urgentDirect, let urgentIndirect, let nonUrgent, let sirene,
            let legacyUrgent = legacy["urgent"], let legacyNonUrgent = legacy["non_urgent"],
            let legacyOther = legacy["other"]
        else { return nil }
        return Deadlines(
            urgentDirect: urgentDirect,
            urgentIndirect: urgentIndirect,
            nonUrgent: nonUrgent,
            sirene: sirene,
            legacyUrgent: legacyUrgent,
            legacyNonUrgent: legacyNonUrgent,
            legacyOther: legacyOther,
            legacyPostponed: legacy["postponed"] ?? 3 * 86_400
        )
    }

    private static func readRetention(_ node: Node, _ reader: inout ConfigReader) -> Retention? {
        let ids = [RuleID.pd06.rawValue, RuleID.log03.rawValue]
        let fields = reader.fields(node, "retention", allowed: ids, required: ids)
        var values: [String: Int64] = [:]
        let frontexKeys = ["art90_first_review", "art90_review_interval", "other_personal_data"]
        if let frontex = fields["PD-06"] {
            for (name, value) in reader.fields(frontex, "retention.PD-06", allowed: frontexKeys, required: frontexKeys)
            {
                values[name] = reader.duration(value, "retention.PD-06.\(name)")
            }
        }
        let prumKeys = ["keep", "dpa_delivery"]
        if let prum = fields["LOG-03"] {
            for (name, value) in reader.fields(prum, "retention.LOG-03", allowed: prumKeys, required: prumKeys) {
                values[name] = reader.duration(value, "retention.LOG-03.\(name)")
            }
        }
        guard let firstReview = values["art90_first_review"], let interval = values["art90_review_interval"],
            let other = values["other_personal_data"], let keep = values["keep"], let delivery = values["dpa_delivery"]
        else { return nil }
        return Retention(
            frontexArt90FirstReview: firstReview,
            frontexArt90ReviewInterval: interval,
            frontexOtherPersonalData: other,
            prumLogKeep: keep,
            prumLogDPADelivery: delivery
        )
    }

    private static func languages(_ node: Node, _ key: String, _ reader: inout ConfigReader) -> [LanguageCode] {
        reader.list(node, key).compactMap { item in
            guard let text = reader.string(item, key) else { return nil }
            guard let language = LanguageCode(text) else {
                reader.problem(item, key, "'\(text)' is not a two-letter language code")
                return nil
            }
            return language
        }
    }

    private static func readStates(_ node: Node, _ reader: inout ConfigReader) -> [MemberState: StatePolicy] {
        var states: [MemberState: StatePolicy] = [:]
        let allowed = ["languages", "direct_europol_contact", "enu_copy_opt_out", "enu", "judicial_cooperation"]
        for entry in reader.entries(node, "states") {
            let key = "states.\(entry.name)"
            guard let state = MemberState(code: entry.name) else {
                reader.problem(
                    entry.keyNode,
                    key,
                    "not a Member State or Schengen associated country (\(MemberState.spellings))"
                )
                continue
            }
            let fields = reader.fields(entry.value, key, allowed: allowed, required: ["languages"])
            let spoken = fields["languages"].map { languages($0, "\(key).languages", &reader) } ?? []
            var enu = NodeID.spoc(state)
            if let enuNode = fields["enu"], let text = reader.string(enuNode, "\(key).enu") {
                if let id = NodeID(text) {
                    enu = id
                } else {
                    reader.problem(enuNode, "\(key).enu", "'\(text)' is not a node ID")
                }
            }
            states[state] = StatePolicy(
                languages: spoken,
                allowsDirectEuropolContact: fields["direct_europol_contact"].flatMap {
                    reader.bool($0, "\(key).direct_europol_contact")
                } ?? false,
                enuOptedOutOfCopies: fields["enu_copy_opt_out"].flatMap { reader.bool($0, "\(key).enu_copy_opt_out") }
                    ?? false,
                enu: enu,
                spocHasJudicialCompetence: fields["judicial_cooperation"].flatMap {
                    reader.bool($0, "\(key).judicial_cooperation")
                } ?? false
            )
        }
        return states
    }

    private static func readNodes(_ node: Node, partners: Set<String>, _ reader: inout ConfigReader) -> [NodeProfile] {
        var profiles: [NodeProfile] = []
        var seen: Set<NodeID> = []
        let allowed = ["id", "kind", "state", "country", "languages", "judicial_cooperation"]
        for (index, item) in reader.list(node, "nodes").enumerated() {
            let key = "nodes[\(index)]"
            let fields = reader.fields(item, key, allowed: allowed, required: ["id", "kind"])
            guard let idNode = fields["id"], let idText = reader.string(idNode, "\(key).id") else { continue }
            guard let id = NodeID(idText) else {
                reader.problem(idNode, "\(key).id", "'\(idText)' is not a node ID")
                continue
            }
            guard seen.insert(id).inserted, id.wellKnownKind == nil else {
                reader.problem(idNode, "\(key).id", "\(id) is already defined (SPOCs and agencies come from 'states')")
                continue
            }
            guard let kind = fields["kind"].flatMap({ reader.value($0, "\(key).kind", as: NodeKind.self) }) else {
                continue
            }
            var state: MemberState?
            if let stateNode = fields["state"], let text = reader.string(stateNode, "\(key).state") {
                state = MemberState(code: text)
                if state == nil {
                    reader.problem(
                        stateNode,
                        "\(key).state",
                        "'\(text)' is not a Member State or Schengen associated country"
                    )
                }
            }
            let country = fields["country"].flatMap { reader.string($0, "\(key).country") }
            let thirdParty = kind == .thirdCountryAuthority || kind == .intlOrg
            if thirdParty, state != nil {
                reader.problem(
                    fields["state"],
                    "\(key).state",
                    "a \(kind) node belongs to no Member State; give 'country' instead"
                )
            }
            if !thirdParty, kind != .europol, kind != .eurojust, kind != .frontex, state == nil, fields["state"] == nil
            {
                reader.problem(item, "\(key).state", "a \(kind) node needs the state it belongs to")
            }
            profiles.append(
                NodeProfile(
                    id: id,
                    kind: kind,
                    state: state,
                    country: country,
                    languages: fields["languages"].map { languages($0, "\(key).languages", &reader) } ?? [.english],
                    europolPartner: country.map(partners.contains) ?? false,
                    judicialCooperation: fields["judicial_cooperation"].flatMap {
                        reader.bool($0, "\(key).judicial_cooperation")
                    }
                        ?? (kind == .judicialAuthority)
                )
            )
        }
        return profiles
    }
}
