import EIXMModel
import EIXMTransport
import Foundation
import Histogram
import Metrics

/// What a load run measures, shared by the nodes' tasks: counts and latencies for the messages meant to be sent
/// inside the measured window (after the warm-up), and per-second figures for the progress line and the series.
///
/// Times are nanoseconds on the run's time line (since the Unix epoch; `LoadTimeline`). Latencies run from the time a message was meant to be sent, not
/// the time it was sent, so a generator or router that falls behind shows in the figures (no coordinated omission).
final class LoadRecorder: Sendable {
    /// Counts and latency histograms (microseconds).
    struct Figures: Sendable {
        var sent = 0
        var accepted = 0
        var rejected = 0
        var delivered = 0
        var duplicates = 0
        var rejectionsByRule: [String: Int] = [:]
        var answerLatency = LoadRecorder.histogram()
        var deliveryLatency = LoadRecorder.histogram()
        /// How late the generator sent each message.
        var sendLag = LoadRecorder.histogram()

        var answered: Int { accepted + rejected }
    }

    private struct State {
        /// The measured window, on the run's time line.
        var window: Range<UInt64> = 0..<0
        var measured = Figures()
        var second = Figures()
        /// Answers received during the measured window, whenever their message was meant to go.
        var answeredInWindow = 0
        var deliveredInWindow = 0
        var inFlight = 0
        var deliveriesReceived = 0
        /// When the last delivery arrived.
        var lastDelivery: UInt64 = 0
        var unsealable = 0
        /// Messages refused as DUPLICATE: a fresh message's ID that the router already knew (never a resend, which a
        /// router answers as before).
        var refusedAsDuplicate = 0
        /// Messages sent whose addressees have not all received them, by ID, and whether the router accepted them.
        var outstanding: [UUID: (addressees: Set<NodeID>, accepted: Bool)] = [:]
        /// With shards: first deliveries to this process's nodes of messages another process sent.
        var foreign: [UUID: Set<NodeID>] = [:]
        /// Messages sent, by sender and addressee.
        var matrix: [NodeID: [NodeID: Int]] = [:]
    }

    private let state = Locked(State())
    /// The same figures for whoever scrapes the process (no-op unless the CLI bootstrapped metrics).
    private let sentCounter = Counter(label: "eixm_load_messages_sent_total")
    private let acceptedCounter = Counter(label: "eixm_load_answers_total", dimensions: [("outcome", "accepted")])
    private let rejectedCounter = Counter(label: "eixm_load_answers_total", dimensions: [("outcome", "rejected")])
    private let deliveredCounter = Counter(label: "eixm_load_deliveries_total")
    private let answerLatency = Timer(label: "eixm_load_answer_latency_seconds")
    private let deliveryLatency = Timer(label: "eixm_load_delivery_latency_seconds")
    /// The nodes this process runs, when it is one shard of several (`nil`: every node is here).
    let localNodes: Set<NodeID>?
    /// Told at each answer and delivery, and by the nodes' sessions and the router here: the drain and the faults'
    /// recovery watches wait on it.
    let changes = ChangeSignal()

    init(localNodes: Set<NodeID>? = nil) { self.localNodes = localNodes }

    /// Sets the measured window, on the run's time line, before the traffic starts.
    func measure(_ window: Range<UInt64>) { state.withLock { $0.window = window } }

    static func histogram() -> Histogram<UInt64> {
        Histogram<UInt64>(
            lowestDiscernibleValue: 1,
            highestTrackableValue: 3_600_000_000,
            numberOfSignificantValueDigits: .three
        )
    }

    /// A message from `sender` to `addressees` was sent.
    func sent(_ message: UUID, from sender: NodeID, to addressees: [NodeID], intended: UInt64, at now: UInt64) {
        let lag = (now &- intended) / 1000
        sentCounter.increment()
        state.withLock { state in
            state.outstanding[message] = (Set(addressees), false)
            for addressee in addressees { state.matrix[sender, default: [:]][addressee, default: 0] += 1 }
            state.inFlight += 1
            state.second.sent += 1
            if state.window.contains(intended) {
                state.measured.sent += 1
                _ = state.measured.sendLag.record(min(lag, 3_600_000_000))
            }
        }
    }

    /// The router answered a message: ACK (accepted) or NACK with the rules it broke.
    func answered(_ message: UUID, intended: UInt64, at now: UInt64, rejectedBy rules: [String]?) {
        let latency = (now &- intended) / 1000
        (rules == nil ? acceptedCounter : rejectedCounter).increment()
        answerLatency.recordNanoseconds(now &- intended)
        defer { changes.changed() }
        state.withLock { state in
            if rules == nil { state.outstanding[message]?.accepted = true } else { state.outstanding[message] = nil }
            if rules?.contains(RouterCheck.duplicate.rawValue) == true { state.refusedAsDuplicate += 1 }
            state.inFlight -= 1
            // Only answers to the window's own messages: a backlog of warm-up messages answered in the window would
            // lift the answered rate above what was offered.
            if state.window.contains(now), state.window.contains(intended) { state.answeredInWindow += 1 }
            Self.count(&state.second, latency: latency, rejectedBy: rules)
            if state.window.contains(intended) { Self.count(&state.measured, latency: latency, rejectedBy: rules) }
        }
    }

    private static func count(_ figures: inout Figures, latency: UInt64, rejectedBy rules: [String]?) {
        if let rules {
            figures.rejected += 1
            for rule in rules { figures.rejectionsByRule[rule, default: 0] += 1 }
        } else {
            figures.accepted += 1
        }
        _ = figures.answerLatency.record(min(latency, 3_600_000_000))
    }

    /// `recipient` received and verified a delivery (`duplicate`: one it had already received).
    func delivered(_ message: UUID, to recipient: NodeID, intended: UInt64, at now: UInt64, duplicate: Bool) {
        let latency = (now &- intended) / 1000
        let sharded = localNodes != nil
        defer { changes.changed() }
        state.withLock { state in
            if state.outstanding[message] == nil {
                // Another process's message (with shards): the merge matches it with that process's senders.
                if sharded, !duplicate { state.foreign[message, default: []].insert(recipient) }
            } else if state.outstanding[message]?.addressees.remove(recipient) != nil,
                state.outstanding[message]?.addressees.isEmpty == true
            {
                state.outstanding[message] = nil
            }
            state.lastDelivery = now
            guard !duplicate else {
                state.measured.duplicates += 1
                return
            }
            state.deliveriesReceived += 1
            deliveredCounter.increment()
            deliveryLatency.recordNanoseconds(now &- intended)
            if state.window.contains(now), state.window.contains(intended) { state.deliveredInWindow += 1 }
            state.second.delivered += 1
            _ = state.second.deliveryLatency.record(min(latency, 3_600_000_000))
            if state.window.contains(intended) {
                state.measured.delivered += 1
                _ = state.measured.deliveryLatency.record(min(latency, 3_600_000_000))
            }
        }
    }

    /// A message handed to the session could not be signed (an invalid header): it was counted as sent, and is
    /// counted as unsealable instead (it never left).
    func unsealable(_ message: UUID) {
        state.withLock { state in
            guard state.outstanding.removeValue(forKey: message) != nil else { return }
            state.inFlight -= 1
            state.unsealable += 1
        }
    }

    var refusedAsDuplicate: Int { state.withLock { $0.refusedAsDuplicate } }

    /// Messages sent so far, by sender and addressee.
    var trafficMatrix: [String: [String: Int]] {
        state.withLock { state in
            Dictionary(
                uniqueKeysWithValues: state.matrix.map { sender, row in
                    (sender.rawValue, Dictionary(uniqueKeysWithValues: row.map { ($0.key.rawValue, $0.value) }))
                }
            )
        }
    }

    var unsealableCount: Int { state.withLock { $0.unsealable } }

    /// The figures since the last call, for the progress line and the series.
    func takeSecond() -> (figures: Figures, inFlight: Int) {
        state.withLock { state in
            defer { state.second = Figures() }
            return (state.second, state.inFlight)
        }
    }

    var measured: Figures { state.withLock { $0.measured } }
    var inFlight: Int { state.withLock { $0.inFlight } }
    var deliveriesReceived: Int { state.withLock { $0.deliveriesReceived } }
    /// Messages the router answered ACCEPTED that have not reached every addressee: lost, once the drain is over.
    /// With shards, only addressees of this process count (the merge judges the others).
    var acceptedNotDelivered: Int {
        state.withLock { state in
            state.outstanding.values.count { entry in
                entry.accepted && (localNodes.map { !entry.addressees.isDisjoint(with: $0) } ?? true)
            }
        }
    }

    /// With shards, what the merge needs: accepted messages still missing addressees (with those addressees), and
    /// the other processes' messages this one's nodes received.
    var shardDeliveries: (missing: [UUID: Set<NodeID>], received: [UUID: Set<NodeID>]) {
        state.withLock { state in
            (state.outstanding.filter(\.value.accepted).mapValues(\.addressees), state.foreign)
        }
    }
    /// When the last delivery arrived (on the run's time line).
    var lastDelivery: UInt64 { state.withLock { $0.lastDelivery } }
    /// Answers and deliveries received inside the window: the throughput.
    var inWindow: (answered: Int, delivered: Int) { state.withLock { ($0.answeredInWindow, $0.deliveredInWindow) } }
}
