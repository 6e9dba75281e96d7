import EIXMCrypto
import EIXMModel

/// How a node behaves in an exercise: what it sends, how fast it answers, how often it refuses or is offline.
/// Rates and delays are in simulated time.
public struct NodeBehaviour: Sendable, Hashable {
    /// New requests per simulated hour (SPOCs).
    public var requestsPerHour: Double
    /// Spontaneous messages per simulated hour (SPOCs; Frontex risk analysis; Eurojust coordination).
    public var spontaneousPerHour: Double
    /// Shares of the requests that are urgent, ask for directly available information, carry personal data.
    public var urgentShare: Double
    public var directShare: Double
    public var personalDataShare: Double
    /// Share of messages that deliberately break a rule, so that rejections are exercised.
    public var ruleBreakingShare: Double
    /// Share of in-mandate messages whose sender decides to copy Europol (EU-02).
    public var europolCopyShare: Double
    /// Share of messages that name a third affected state (raising SP-01 duties).
    public var thirdStateShare: Double
    /// SPOCs: share of requests sent to a third-country authority of the exercise, via Interpol.
    public var thirdCountryShare: Double
    /// Judicial authorities: share of their messages to Eurojust that notify a joint investigation team (EJ-03).
    public var jitShare: Double
    /// Crime areas to draw from, with weights.
    public var crimeAreas: [CrimeArea: Double]
    /// Simulated hours before an answer, drawn uniformly.
    public var replyDelayHours: ClosedRange<Double>
    /// Shares of received requests answered by a refusal, a clarification request, a delay notice (the rest get a
    /// reply).
    public var refusalShare: Double
    public var clarificationShare: Double
    public var delayNoticeShare: Double
    /// Europol: share of received messages that match its data and produce hit notifications.
    public var hitShare: Double
    /// Simulated hours from the start of the exercise during which the node is offline.
    public var offline: [ClosedRange<Double>]
    /// How the node signs what it sends (an exercise node's messages go one by one: in batch mode, batches of one).
    public var signatures: SignatureMode

    public init(
        requestsPerHour: Double = 0.6,
        spontaneousPerHour: Double = 0.2,
        urgentShare: Double = 0.3,
        directShare: Double = 0.6,
        personalDataShare: Double = 0.4,
        ruleBreakingShare: Double = 0.1,
        europolCopyShare: Double = 0.6,
        thirdStateShare: Double = 0.15,
        thirdCountryShare: Double = 0,
        jitShare: Double = 0.2,
        crimeAreas: [CrimeArea: Double] = NodeBehaviour.seedCrimeMix,
        replyDelayHours: ClosedRange<Double> = 0.5...10,
        refusalShare: Double = 0.1,
        clarificationShare: Double = 0.05,
        delayNoticeShare: Double = 0.03,
        hitShare: Double = 0.1,
        offline: [ClosedRange<Double>] = [],
        signatures: SignatureMode = .perMessage
    ) {
        self.requestsPerHour = requestsPerHour
        self.spontaneousPerHour = spontaneousPerHour
        self.urgentShare = urgentShare
        self.directShare = directShare
        self.personalDataShare = personalDataShare
        self.ruleBreakingShare = ruleBreakingShare
        self.europolCopyShare = europolCopyShare
        self.thirdStateShare = thirdStateShare
        self.thirdCountryShare = thirdCountryShare
        self.jitShare = jitShare
        self.crimeAreas = crimeAreas
        self.replyDelayHours = replyDelayHours
        self.refusalShare = refusalShare
        self.clarificationShare = clarificationShare
        self.delayNoticeShare = delayNoticeShare
        self.hitShare = hitShare
        self.offline = offline
        self.signatures = signatures
    }

    /// The crime mix of the 2013 report's priorities (drugs, trafficking in human beings, organised crime,
    /// cybercrime, irregular immigration, fraud), with some offences outside Europol's mandate.
    public static let seedCrimeMix: [CrimeArea: Double] = [
        .drugTrafficking: 30, .traffickingInHumanBeings: 12, .organisedCrime: 10, .immigrantSmuggling: 10,
        .computerCrime: 8, .moneyLaundering: 8, .swindlingFraud: 6, .robberyAggravatedTheft: 5,
        .motorVehicleCrime: 4, .terrorism: 2, .simpleTheft: 3, .trafficOffence: 2,
    ]
}
