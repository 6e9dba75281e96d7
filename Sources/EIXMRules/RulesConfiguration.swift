import EIXMModel

/// Everything about the rules that is data rather than logic: the policy mode, the node directory, Europol's
/// mandate, channel ceilings, deadlines and retention periods. Loaded from `configs/rules.yaml`
/// (`RulesConfiguration+YAML.swift`); the same file is built into the binary as the default.
public struct RulesConfiguration: Sendable {
    /// Durations, in seconds, of the deadlines the DL rules set.
    public struct Deadlines: Hashable, Sendable {
        /// DL-01: urgent, directly available.
        public var urgentDirect: Int64
        /// DL-02: urgent, indirectly available.
        public var urgentIndirect: Int64
        /// DL-03: any other request.
        public var nonUrgent: Int64
        /// DL-08: SIRENE supplementary information.
        public var sirene: Int64
        /// DL-09 (legacy mode): urgent and directly accessible.
        public var legacyUrgent: Int64
        /// DL-09 (legacy mode): non-urgent, same conditions.
        public var legacyNonUrgent: Int64
        /// DL-09 (legacy mode): all other cases.
        public var legacyOther: Int64
        /// DL-09 (legacy mode, SFD Art 4(2)): how long after receipt an 8-hour answer may be postponed, with notice.
        public var legacyPostponed: Int64

        public init(
            urgentDirect: Int64,
            urgentIndirect: Int64,
            nonUrgent: Int64,
            sirene: Int64,
            legacyUrgent: Int64,
            legacyNonUrgent: Int64,
            legacyOther: Int64,
            legacyPostponed: Int64 = 3 * 86_400
        ) {
            self.urgentDirect = urgentDirect
            self.urgentIndirect = urgentIndirect
            self.nonUrgent = nonUrgent
            self.sirene = sirene
            self.legacyUrgent = legacyUrgent
            self.legacyNonUrgent = legacyNonUrgent
            self.legacyOther = legacyOther
            self.legacyPostponed = legacyPostponed
        }
    }

    /// Retention and review periods, in seconds, that PD-06 and LOG-03 attach to messages.
    public struct Retention: Hashable, Sendable {
        /// PD-06: first review of Frontex Art 90 operational data.
        public var frontexArt90FirstReview: Int64
        /// PD-06: later reviews of Frontex Art 90 operational data.
        public var frontexArt90ReviewInterval: Int64
        /// PD-06: longest Frontex may keep other personal data.
        public var frontexOtherPersonalData: Int64
        /// LOG-03: how long Prüm logs are kept.
        public var prumLogKeep: Int64
        /// LOG-03: how soon Prüm logs go to the data-protection authority on request.
        public var prumLogDPADelivery: Int64

        public init(
            frontexArt90FirstReview: Int64,
            frontexArt90ReviewInterval: Int64,
            frontexOtherPersonalData: Int64,
            prumLogKeep: Int64,
            prumLogDPADelivery: Int64
        ) {
            self.frontexArt90FirstReview = frontexArt90FirstReview
            self.frontexArt90ReviewInterval = frontexArt90ReviewInterval
            self.frontexOtherPersonalData = frontexOtherPersonalData
            self.prumLogKeep = prumLogKeep
            self.prumLogDPADelivery = prumLogDPADelivery
        }
    }

    public var mode: PolicyMode
    /// Rules switched off in this configuration.
    public var disabledRules: Set<RuleID>
    /// Europol's mandate crime areas (ER Art 3 and Annex I).
    public var mandateCrimeAreas: CrimeAreaSet
    /// Whether in_mandate also needs two or more Member States affected (EIXM-RULES.md §6 notation, a switch).
    public var mandateRequiresTwoStates: Bool
    /// The crime areas that count as serious criminal offences (Dir Art 2(3): the EAW list and ER Art 3).
    public var seriousCrimeAreas: CrimeAreaSet
    /// The offences of the European arrest warrant list (FD 2002/584 Art 2(2)): in SFD_LEGACY mode only requests
    /// about them get the 8-hour and one-week periods (FD 2006/960 Art 4, DL-09).
    public var eawOffenceAreas: CrimeAreaSet
    /// The highest classification each channel is accredited for (CH-16).
    public var channelCeilings: [Channel: Classification]
    /// Whether Prüm II is in force: facial images and police records on the automated channel (CH-10).
    public var prumIIEnabled: Bool
    public var deadlines: Deadlines
    public var retention: Retention
    /// Third countries (ISO codes) and international organisations (their names, e.g. INTERPOL) with which Europol
    /// has an agreement that allows SIENA exchanges (CH-09).
    public var europolPartners: Set<String>
    public var directory: NodeDirectory

    public init(
        mode: PolicyMode,
        disabledRules: Set<RuleID>,
        mandateCrimeAreas: CrimeAreaSet,
        mandateRequiresTwoStates: Bool,
        seriousCrimeAreas: CrimeAreaSet,
        eawOffenceAreas: CrimeAreaSet,
        channelCeilings: [Channel: Classification],
        prumIIEnabled: Bool,
        deadlines: Deadlines,
        retention: Retention,
        europolPartners: Set<String>,
        directory: NodeDirectory
    ) {
        self.mode = mode
        self.disabledRules = disabledRules
        self.mandateCrimeAreas = mandateCrimeAreas
        self.mandateRequiresTwoStates = mandateRequiresTwoStates
        self.seriousCrimeAreas = seriousCrimeAreas
        self.eawOffenceAreas = eawOffenceAreas
        self.channelCeilings = channelCeilings
        self.prumIIEnabled = prumIIEnabled
        self.deadlines = deadlines
        self.retention = retention
        self.europolPartners = europolPartners
        self.directory = directory
    }
}
