import EIXMCrypto
import EIXMNodes
import Foundation

/// A load run: the exercise's nodes and rules, offered an open-loop message rate for a while, with thresholds that
/// decide whether the run passes.
public struct LoadConfiguration: Sendable {
    /// The nodes (all connect; those whose traffic mix sends anything send), their behaviours and the rules.
    public var exercise: ExerciseConfiguration
    /// Messages per second offered by all senders together, on a fixed schedule whatever the router does.
    public var rate: Double
    /// Seconds of traffic, the warm-up included.
    public var durationSeconds: Double
    /// Seconds at the start whose messages are not measured.
    public var warmupSeconds: Double
    /// Seconds to wait after the traffic for answers and deliveries in flight.
    public var drainSeconds: Double
    /// Bytes of each message's body.
    public var bodyBytes: Int
    /// How every load node signs: per message, or one signature per batch of what falls due at once.
    public var signatures: SignatureMode
    /// The largest batch a load node signs at once (and writes in one go).
    public var batchMaximum: Int
    /// Batch mode: how long a load node's receipt may wait for others to share its signature.
    public var receiptDelay: Duration
    public var thresholds: Thresholds
    /// Faults played during the run (`--fault`); their times are real seconds after the start of the traffic.
    public var faults: [Fault]
    /// The share of the nodes this process runs, when several load processes share them (`nil`: all).
    public var shard: LoadShard?
    /// Where to write the measured answer latency's full distribution (HdrHistogram percentile text), if anywhere.
    public var latencyDistributionFile: URL?

    /// Limits that fail the run when exceeded (each optional).
    public struct Thresholds: Sendable, Codable, Hashable {
        /// The highest acceptable 99th percentile of the answer latency (send to ACK or NACK), in milliseconds.
        public var maxP99Milliseconds: Double?
        /// The lowest acceptable answered rate, as a share of the offered rate.
        public var minThroughputShare: Double?
        /// The most accepted (message, recipient) pairs that may go undelivered.
        public var maxLost: Int?

        public init(maxP99Milliseconds: Double? = nil, minThroughputShare: Double? = nil, maxLost: Int? = nil) {
            self.maxP99Milliseconds = maxP99Milliseconds
            self.minThroughputShare = minThroughputShare
            self.maxLost = maxLost
        }
    }

    /// The most messages (or receipts) a load node signs at once in batch mode, unless told otherwise.
    public static let defaultBatchMaximum = 256

    public init(
        exercise: ExerciseConfiguration = .builtIn(),
        rate: Double = 1_000,
        durationSeconds: Double = 10,
        warmupSeconds: Double = 2,
        drainSeconds: Double = 10,
        bodyBytes: Int = 1_024,
        signatures: SignatureMode = .batch,
        batchMaximum: Int = LoadConfiguration.defaultBatchMaximum,
        receiptDelay: Duration = RouterSession.Sealing.defaultReceiptDelay,
        thresholds: Thresholds = Thresholds(),
        faults: [Fault] = [],
        shard: LoadShard? = nil
    ) {
        self.exercise = exercise
        self.rate = rate
        self.durationSeconds = durationSeconds
        self.warmupSeconds = warmupSeconds
        self.drainSeconds = drainSeconds
        self.bodyBytes = bodyBytes
        self.signatures = signatures
        self.batchMaximum = batchMaximum
        self.receiptDelay = receiptDelay
        self.thresholds = thresholds
        self.faults = faults
        self.shard = shard
    }
}
