import EIXMCrypto
import EIXMModel
import EIXMNodes
import EIXMTransport
import Foundation
import Logging

/// One node of a load run, with its own session with the router: it sends its share of the offered rate on a fixed
/// schedule (its session signs them, per message or in batches of what is queued when its writer is free), and receives, verifies and acknowledges what is delivered to it, telling the
/// recorder. The session reconnects after a lost connection and sends again what the router has not answered; the
/// schedule goes on meanwhile (what falls due while the router is away is sent when it is back, late).
struct LoadNode: Sendable {
    let identity: NodeIdentity
    let session: RouterSession
    let keys: KeyDirectory
    let recorder: LoadRecorder
    let start: StartSignal
    /// The run's time line (shared with the other load processes on the machine).
    let timeline: LoadTimeline
    /// What the node sends, and how often; `nil` for a node that only receives.
    let traffic: TrafficMix?
    let interval: Duration?
    let bodyBytes: Int
    let signatures: SignatureMode
    let batchMaximum: Int
    let seed: UInt64
    /// What the node remembers across its connections.
    let memory: Memory
    /// The node's network, when a fault is to cut or slow it.
    let network: PartitionableClient?

    init(
        identity: NodeIdentity,
        transport: any ClientTransport,
        keys: KeyDirectory,
        recorder: LoadRecorder,
        start: StartSignal,
        timeline: LoadTimeline,
        traffic: TrafficMix?,
        interval: Duration?,
        bodyBytes: Int,
        signatures: SignatureMode,
        batchMaximum: Int,
        receiptDelay: Duration,
        seed: UInt64,
        logger: Logger,
        failures: ConnectFailures? = nil
    ) {
        self.identity = identity
        network = transport as? PartitionableClient
        var seeds = SeededGenerator(seed: seed)
        // Acknowledgements and heartbeats never wait: the reader never waits for the router to read, so a router
        // that pauses reading from this node cannot deadlock with it. New messages wait while the queue is long (or,
        // with no router, while many wait for one): the generator falls behind.
        session = RouterSession(
            sealing: RouterSession.Sealing(
                identity: identity,
                mode: signatures,
                batchMaximum: batchMaximum,
                receiptDelay: receiptDelay
            ),
            transport: transport,
            backlogLimit: 1_024,
            pendingLimit: 16_384,
            seed: seeds.next(),
            logger: logger,
            changes: recorder.changes,
            failures: failures
        )
        self.keys = keys.withOwnRootCache()
        self.recorder = recorder
        self.start = start
        self.timeline = timeline
        self.traffic = traffic
        self.interval = interval
        self.bodyBytes = bodyBytes
        self.signatures = signatures
        self.batchMaximum = batchMaximum
        self.seed = seeds.next()
        memory = Memory()
    }

    /// Messages sent and not yet answered by the router, with the time each was meant to go; the deliveries received.
    final class Memory: Sendable {
        private struct State {
            var intended: [UUID: UInt64] = [:]
            // Grows with the run: split, so that growing it never holds up this node's deliveries for long.
            var received = UUIDMap<Void>()
            var down = false
        }

        private let state = Locked(State())
        /// Messages carry the router's simulated time, followed from its every WELCOME.
        let clock = FollowingClock(start: Timestamp(millisecondsSinceEpoch: 0), scale: 1)

        func add(_ id: UUID, intended: UInt64) { state.withLock { $0.intended[id] = intended } }

        func remove(_ id: UUID) -> UInt64? { state.withLock { $0.intended.removeValue(forKey: id) } }

        /// Whether the node is down (a `node_crash` fault): it sends nothing that falls due meanwhile.
        var isDown: Bool {
            get { state.withLock { $0.down } }
            set { state.withLock { $0.down = newValue } }
        }

        /// Whether the delivery is the first of its message to this node.
        func firstDelivery(_ id: UUID) -> Bool { state.withLock { $0.received.updateValue((), forKey: id) == nil } }
    }

    /// Connects (and reconnects), then sends and receives until the task is cancelled.
    func run() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await session.run(self) }
            group.addTask {
                guard await session.firstWelcome() else { return }
                let traffic = await start.connected()
                try? await send(during: traffic)
            }
            await group.waitForAll()
        }
    }

    private var now: UInt64 { timeline.now }

    /// Sends on schedule during the traffic (until it is stopped): every message due is handed to the session at
    /// once, which signs what is queued whenever its writer is free (in batch mode, as one batch).
    private func send(during period: Range<ContinuousClock.Instant>) async throws {
        guard var traffic, let interval else { return }
        var random = SeededGenerator(seed: seed)
        // IDs from the seed mixed with this run's own ID: a second run of the same seed against the same router
        // must not repeat them.
        var ids = SeededGenerator(seed: seed ^ UInt64.random(in: .min ... .max))
        let end = period.upperBound
        // Each node starts at its own point of its first interval, so that senders do not send in step.
        var due = period.lowerBound + interval * Double.random(in: 0..<1, using: &random)
        while due < end, !start.isStopped, !Task.isCancelled {
            let current = ContinuousClock.now
            if due > current {
                try await Task.sleep(until: due, tolerance: .microseconds(100))
                continue
            }
            var messages: [(header: Header, body: [UInt8])] = []
            while due <= current, due < end, messages.count < batchMaximum {
                let intended = timeline.nanoseconds(due)
                due += interval
                // A crashed node sends nothing: what falls due while it is down is never made.
                if memory.isDown { continue }
                guard let header = traffic.next(id: ids.uuid(), at: memory.clock.now) else { continue }
                memory.add(header.id, intended: intended)
                recorder.sent(header.id, from: header.sender, to: header.recipients, intended: intended, at: now)
                messages.append((header, Self.body(for: header, intended: intended, bytes: bodyBytes)))
            }
            await session.waitForRoom()
            session.send(sealing: messages)
        }
    }

    /// The body of a load message: the time it was meant to go (on the run's time line), then the text of the
    /// traffic mix, padded to `bytes`.
    static func body(for header: Header, intended: UInt64, bytes: Int) -> [UInt8] {
        var body = Array("load t=\(intended) \(TrafficMix.body(for: header))".utf8)
        if body.count < bytes { body += [UInt8](repeating: UInt8(ascii: "."), count: bytes - body.count) }
        return body
    }

    /// The time a load message was meant to go, read back from its body.
    static func intendedTime(in body: [UInt8]) -> UInt64? {
        let prefix = Array("load t=".utf8)
        guard body.starts(with: prefix) else { return nil }
        var value: UInt64 = 0
        for byte in body.dropFirst(prefix.count) {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else {
                return byte == UInt8(ascii: " ") ? value : nil
            }
            let (times, overflow) = value.multipliedReportingOverflow(by: 10)
            let (sum, carry) = times.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
            guard !overflow, !carry else { return nil }
            value = sum
        }
        return nil
    }

}

extension LoadNode: RouterSessionHandler {
    func mayConnect() -> Bool { true }

    func welcomed(_ welcome: Frame.Welcome) { memory.clock.follow(welcome.simulatedTime, scale: welcome.timeScale) }

    func answered(_ id: UUID, refusal: Frame.Refusal?) {
        guard let intended = memory.remove(id) else { return }
        recorder.answered(id, intended: intended, at: now, rejectedBy: refusal?.reasons.map(\.rule))
    }

    func unsealable(_ ids: [UUID]) {
        for id in ids where memory.remove(id) != nil { recorder.unsealable(id) }
    }

    func delivered(_ delivery: Frame.Delivery) -> DeliveryReceipt.Content? {
        guard let envelope = try? Envelope(wireBytes: delivery.envelope), let verified = keys.verifiedDelivery(envelope)
        else { return nil }
        let id = envelope.header.id
        if let intended = Self.intendedTime(in: envelope.body) {
            recorder.delivered(
                id,
                to: identity.nodeID,
                intended: intended,
                at: now,
                duplicate: !memory.firstDelivery(id)
            )
        }
        return verified.receipt(at: memory.clock.now)
    }
}
