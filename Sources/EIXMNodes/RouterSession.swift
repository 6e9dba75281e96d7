import DequeModule
import EIXMCrypto
import EIXMModel
import EIXMTransport
import Foundation
import Logging

/// A client's session with the router, the one every node uses (exercise nodes, `eixm node`, load nodes): HELLO and
/// WELCOME, heartbeats, one writer per connection, reconnecting with exponential backoff and jitter, and sending again,
/// with its original ID and bytes, every message the router has not answered. A message is answered once: the first
/// ACCEPTED or refusal takes it out of the session (a resend that the router already accepted is answered ACCEPTED
/// again, and that second answer is not passed on).
///
/// Messages may also be handed over unsigned (`send(sealing:)`): the connection's sealer then signs every message
/// queued meanwhile, whenever the writer has written what it had and, in batch mode, the router has answered every
/// message of the previous batch: a batch of one when idle, larger as the router gets busier (its answers come later,
/// so more waits for the next batch), with no timer. Once signed, a message keeps its bytes for resends.
///
/// Every delivery the handler takes is answered with a signed RECEIPT. The sealer signs the receipts too, all those
/// waiting whenever the writer has written what it had (in batch mode as one batch, up to the batch maximum): they
/// belong to the connection they answer (the router delivers again what a lost connection did not acknowledge). In
/// batch mode a receipt may wait up to the receipt delay for others to share its signature (a delayed
/// acknowledgement, as TCP's): nothing waits for a receipt but the router's queue, while the router pays one signature
/// check per batch of receipts, for every delivery it makes. Receipts still waiting go out before a GOODBYE.
public final class RouterSession: Sendable {
    /// How the session signs receipts, and messages handed over unsigned.
    public struct Sealing: Sendable {
        public let identity: NodeIdentity
        public let mode: SignatureMode
        public let batchMaximum: Int
        /// Batch mode: how long a receipt may wait for others before the sealer signs those waiting (sooner once the
        /// batch maximum waits). Zero signs them whenever the writer is free, as per-message mode always does.
        public let receiptDelay: Duration

        public init(
            identity: NodeIdentity,
            mode: SignatureMode,
            batchMaximum: Int,
            receiptDelay: Duration = Sealing.defaultReceiptDelay
        ) {
            self.identity = identity
            self.mode = mode
            self.batchMaximum = max(1, min(batchMaximum, Int(BatchSignature.maximumBatchSize)))
            self.receiptDelay = max(receiptDelay, .zero)
        }

        /// The receipt delay unless said otherwise: short beside a heartbeat, long enough that a node receiving a
        /// hundred deliveries a second signs a few receipts at once.
        public static let defaultReceiptDelay = Duration.milliseconds(20)

        /// Whether receipts wait for the receipt delay (batch mode with a delay).
        var delaysReceipts: Bool { mode == .batch && receiptDelay > .zero }

        /// How many of the `waiting` messages to sign now, while `batchInFlight` messages of the last batch are
        /// unanswered: up to the batch maximum; in batch mode none until the router has answered the last batch (one
        /// batch at a time, so that batches grow as the router's answers slow down).
        public func count(waiting: Int, batchInFlight: Int) -> Int {
            guard mode == .perMessage || batchInFlight == 0 else { return 0 }
            return min(waiting, batchMaximum)
        }
    }

    /// What the session did, for reports.
    public struct Statistics: Hashable, Sendable {
        /// WELCOMEs received: the first connection and every reconnect.
        public var connections = 0
        /// Messages sent again after a reconnect because the router had not answered them.
        public var resent = 0
        /// Time between losing a welcomed connection and the next WELCOME, added up (an outage still going on counts
        /// up to the moment of the snapshot).
        public var timeWithoutRouter: Duration = .zero
        /// Welcomed and not yet disconnected.
        public var connected = false
        public var reconnects: Int { max(connections - 1, 0) }
    }

    /// How long to wait before connecting again: `initial` doubled per failed attempt up to `maximum`, times a
    /// seeded jitter in 0.5...1.5 so that nodes dropped together do not come back in step.
    public struct Backoff: Sendable {
        public var initial: Duration
        public var maximum: Duration

        public init(initial: Duration = .milliseconds(50), maximum: Duration = .seconds(2)) {
            self.initial = initial
            self.maximum = maximum
        }

        func delay(attempt: Int, jitter: Double) -> Duration {
            let doubled = initial * Double(1 << min(attempt, 20))
            return min(doubled, maximum) * jitter
        }
    }

    private struct Pending {
        var order: UInt64
        var bytes: [UInt8]
        /// The connection it was last written to (0: not yet written; -1: written by an earlier life of the client).
        var connection: Int
    }

    private struct State {
        var outgoing: FrameQueue?
        /// Messages handed over unsigned, waiting for the sealer.
        var unsealed: Deque<(header: Header, body: [UInt8])> = []
        /// Deliveries received on the live connection, waiting for the sealer to sign their receipts.
        var unsignedReceipts: [DeliveryReceipt.Content] = []
        /// The receipt delay has passed since receipts began to wait: the sealer signs them.
        var receiptsDue = false
        /// Starts the live connection's receipt delay (told when a first receipt waits).
        var receiptTimer: AsyncStream<Void>.Continuation?
        /// Wakes the live connection's sealer.
        var sealerWake: AsyncStream<Void>.Continuation?
        /// Batch mode: the messages of the last batch signed that the router has not answered yet.
        var batchInFlight: Set<UUID> = []
        /// Messages the sealer has taken and not yet handed to `send` (counted as unanswered meanwhile).
        var beingSealed = 0
        var pending: [UUID: Pending] = [:]
        var nextOrder: UInt64 = 0
        var statistics = Statistics()
        var lostAt: ContinuousClock.Instant?
        var random: SeededGenerator
        var ended = false
    }

    public let node: NodeID
    private let transport: any ClientTransport
    private let backoff: Backoff
    /// How many frames may wait for the writer before `waitForRoom` holds a sender back.
    private let backlogLimit: Int
    /// How many unanswered messages a disconnected session holds before `waitForRoom` holds a sender back.
    private let pendingLimit: Int
    private let sealing: Sealing
    private let logger: Logger
    private let state: Locked<State>
    /// Tasks waiting for a WELCOME (`true`) or for the session to end without one (`false`).
    private let welcomeWaiters = Waiters<Bool>()
    /// Senders held back while disconnected with too many messages unanswered.
    private let roomWaiters = Waiters<Void>()
    /// Told when an answer comes and when a connection opens or is lost, for whoever waits on them (a drain, a fault's
    /// recovery watch).
    private let changes: ChangeSignal?
    /// Where failed attempts to connect are said when many sessions share a process; `nil`: each is logged here.
    private let failures: ConnectFailures?

    /// A session for the node of `sealing`'s identity, which signs its receipts (and the messages handed over unsigned).
    public init(
        sealing: Sealing,
        transport: any ClientTransport,
        backoff: Backoff = Backoff(),
        backlogLimit: Int = .max,
        pendingLimit: Int = .max,
        seed: UInt64,
        logger: Logger,
        changes: ChangeSignal? = nil,
        failures: ConnectFailures? = nil
    ) {
        self.changes = changes
        self.failures = failures
        self.node = sealing.identity.nodeID
        self.sealing = sealing
        self.transport = transport
        self.backoff = backoff
        self.backlogLimit = backlogLimit
        self.pendingLimit = pendingLimit
        self.logger = logger
        state = Locked(State(random: SeededGenerator(seed: seed)))
    }

    public var statistics: Statistics {
        state.withLock { state in
            var statistics = state.statistics
            statistics.connected = state.outgoing != nil
            if let lostAt = state.lostAt { statistics.timeWithoutRouter += ContinuousClock.now - lostAt }
            return statistics
        }
    }

    /// How many messages the router has not answered yet (those not yet signed included).
    public var unansweredCount: Int { state.withLock { $0.pending.count + $0.unsealed.count + $0.beingSealed } }

    /// Sends a message and keeps it until the router answers it: now if connected, else on the next connection.
    public func send(_ id: UUID, envelope bytes: [UInt8]) { send([(id, bytes)]) }

    /// Sends messages, in order, in one write when connected. `resending`: they were sent before, by an earlier life
    /// of the client (restarted on its journal), and count as resent.
    public func send(_ messages: [(id: UUID, bytes: [UInt8])], resending: Bool = false) {
        state.withLock { state in
            let connection = resending ? -1 : state.outgoing == nil ? 0 : state.statistics.connections
            for (id, bytes) in messages {
                state.pending[id] = Pending(order: state.nextOrder, bytes: bytes, connection: connection)
                state.nextOrder += 1
            }
            state.outgoing?.enqueue(messages.map { .message(envelope: $0.bytes) })
        }
    }

    /// Hands messages over unsigned: the sealer signs them (with what else is queued then) and sends them, and they
    /// are kept like any sent message until the router answers.
    public func send(sealing messages: [(header: Header, body: [UInt8])]) {
        let wake = state.withLock { state in
            state.unsealed.append(contentsOf: messages)
            return state.sealerWake
        }
        wake?.yield()
    }

    /// The live connection's sealer: each time the writer has written all it was given, signs the receipts waiting
    /// and the messages handed over meanwhile (up to the batch maximum at once) and queues them.
    private func seal(onto outgoing: FrameQueue, wakeups: AsyncStream<Void>, handler: some RouterSessionHandler) async {
        for await _ in wakeups {
            while true {
                await outgoing.waitForBacklog(atMost: 0)
                let receipts = state.withLock { state in
                    let due = state.receiptsDue || state.unsignedReceipts.count >= sealing.batchMaximum
                    return !sealing.delaysReceipts || due ? Self.takeReceipts(&state) : []
                }
                if !receipts.isEmpty { signReceipts(receipts, onto: outgoing) }
                let messages = state.withLock { state -> [(header: Header, body: [UInt8])] in
                    let count = sealing.count(waiting: state.unsealed.count, batchInFlight: state.batchInFlight.count)
                    state.beingSealed = count
                    defer { state.unsealed.removeFirst(count) }
                    return Array(state.unsealed.prefix(count))
                }
                guard !messages.isEmpty else {
                    if receipts.isEmpty { break }
                    continue
                }
                roomWaiters.resumeAll(returning: ())
                let envelopes: [Envelope]
                do {
                    envelopes = try sealing.identity.seal(
                        messages,
                        mode: sealing.mode,
                        batchMaximum: sealing.batchMaximum
                    )
                } catch {
                    // Only a header that cannot be encoded fails here: its messages are not sent, and the handler says so.
                    logger.error(
                        "cannot sign messages",
                        metadata: ["count": "\(messages.count)", "reason": "\(error)"]
                    )
                    state.withLock { $0.beingSealed = 0 }
                    await handler.unsealable(messages.map(\.header.id))
                    continue
                }
                if sealing.mode == .batch { state.withLock { $0.batchInFlight = Set(envelopes.map(\.header.id)) } }
                send(envelopes.map { ($0.header.id, $0.wireBytes()) })
                state.withLock { $0.beingSealed = 0 }
            }
        }
    }

    private static func takeReceipts(_ state: inout State) -> [DeliveryReceipt.Content] {
        defer {
            state.unsignedReceipts = []
            state.receiptsDue = false
        }
        return state.unsignedReceipts
    }

    /// A delivery's receipt waits for the sealer: woken now, or, when receipts wait for the delay, once the delay
    /// started by the first of them has passed or the batch maximum waits.
    private func receiptWaits(_ receipt: DeliveryReceipt.Content) {
        typealias Wake = AsyncStream<Void>.Continuation
        let (wake, timer) = state.withLock { state -> (Wake?, Wake?) in
            state.unsignedReceipts.append(receipt)
            guard sealing.delaysReceipts, state.unsignedReceipts.count < sealing.batchMaximum else {
                return (state.sealerWake, nil)
            }
            return (nil, state.unsignedReceipts.count == 1 ? state.receiptTimer : nil)
        }
        wake?.yield()
        timer?.yield()
    }

    /// The live connection's receipt delay: each time a first receipt waits, marks the receipts due once the delay
    /// has passed and wakes the sealer.
    private func timeReceipts(_ starts: AsyncStream<Void>) async throws {
        for await _ in starts {
            try await Task.sleep(for: sealing.receiptDelay)
            let wake = state.withLock { state in
                state.receiptsDue = true
                return state.sealerWake
            }
            wake?.yield()
        }
    }

    /// Signs receipts and queues them on the connection whose deliveries they answer. A receipt that cannot be
    /// signed is not sent: the router keeps the delivery and delivers it again on the next connection.
    private func signReceipts(_ contents: [DeliveryReceipt.Content], onto outgoing: FrameQueue) {
        do {
            let receipts = try sealing.identity.receipts(
                contents,
                mode: sealing.mode,
                batchMaximum: sealing.batchMaximum
            )
            outgoing.enqueue(receipts.map(Frame.receipt))
        } catch {
            logger.error("cannot sign receipts", metadata: ["count": "\(contents.count)", "reason": "\(error)"])
        }
    }

    /// Sends frames on the live connection only (acknowledgements, goodbyes): they mean nothing to a later one.
    public func sendIfConnected(_ frames: [Frame]) {
        let outgoing = state.withLock { $0.outgoing }
        outgoing?.enqueue(frames)
    }

    /// Suspends a sender while the writer is behind (connected) or while too many messages wait for a connection
    /// (disconnected); returns at once when the session has ended or the task is cancelled.
    public func waitForRoom() async {
        await roomWaiters.wait(cancelled: ()) {
            state.withLock { state in
                if state.ended { return () }
                if state.outgoing == nil {
                    return state.pending.count + state.unsealed.count >= pendingLimit ? nil : ()
                }
                return state.unsealed.count > backlogLimit ? nil : ()
            }
        }
        if let outgoing = state.withLock({ $0.outgoing }) { await outgoing.waitForRoom() }
    }

    /// Returns `true` once the router has welcomed this session at least once, `false` if the session ended (or the
    /// waiting task was cancelled) without a WELCOME.
    public func firstWelcome() async -> Bool {
        await welcomeWaiters.wait(cancelled: false) {
            state.withLock { state in
                if state.statistics.connections > 0 { return true }
                return state.ended ? false : nil
            }
        }
    }

    /// Connects and reconnects until the handler says not to, or the task is cancelled.
    public func run(_ handler: some RouterSessionHandler) async {
        var attempt = 0
        while !Task.isCancelled, await handler.mayConnect() {
            var welcomed = false
            var failure: (any Error)?
            do {
                try await transport.connect { connection in
                    try await self.serve(connection, handler: handler) { welcomed = true }
                }
            } catch {
                failure = error
            }
            lost()
            await handler.disconnected()
            if welcomed { attempt = 0 }
            guard !Task.isCancelled else { break }
            let jitter = state.withLock { Double.random(in: 0.5...1.5, using: &$0.random) }
            let delay = backoff.delay(attempt: attempt, jitter: jitter)
            if welcomed {
                logger.info(
                    "connection to the router ended",
                    metadata: ["reason": "\(failure.map { "\($0)" } ?? "closed")"]
                )
            } else {
                // Never welcomed on this attempt: the router cannot be reached, or refuses the node. Said at every
                // attempt, or summed up with other sessions' failures.
                let reason = failure.map { "\($0)" } ?? "closed before WELCOME"
                if let failures {
                    failures.failed(node: node, reason: reason, attempt: attempt + 1, nextIn: delay)
                } else {
                    logger.warning(
                        "cannot connect to the router",
                        metadata: ConnectFailures.attempt(reason: reason, number: attempt + 1, nextIn: delay)
                    )
                }
            }
            attempt += 1
            do { try await Task.sleep(for: delay) } catch { break }
        }
        end()
    }

    /// Why a connection ended before the router welcomed the node, in words.
    struct NotWelcomed: Error, CustomStringConvertible {
        let description: String
    }

    /// One connection: HELLO, WELCOME, what the router has not answered sent again, then frames are read while a
    /// child task writes and another sends heartbeats (and leaves when the handler says so).
    private func serve(
        _ connection: PeerConnection,
        handler: some RouterSessionHandler,
        welcomed: () -> Void
    ) async throws {
        try await connection.outbound.send([.hello(node: node)])
        var frames = connection.inbound.makeAsyncIterator()
        let first = try await frames.next()
        guard case .welcome(let welcome) = first else {
            if case .goodbye(let reason) = first {
                throw NotWelcomed(description: "the router refused the connection: \(reason)")
            }
            throw NotWelcomed(
                description: first.map { "the router answered HELLO with \($0.name), not WELCOME" }
                    ?? "the connection closed before the router's WELCOME"
            )
        }
        welcomed()
        await handler.welcomed(welcome)
        let outgoing = FrameQueue(backlogLimit: backlogLimit)
        let (sealerWakeups, sealerWake) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let (receiptTimerStarts, receiptTimer) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        defer {
            outgoing.close()
            sealerWake.finish()
            receiptTimer.finish()
        }
        attach(outgoing, sealerWake: sealerWake, receiptTimer: receiptTimer)
        let outbound = connection.outbound
        let heartbeat = Duration.milliseconds(Int64(max(welcome.heartbeatMilliseconds, 50)))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await outgoing.drain { try await outbound.send($0) } }
            group.addTask { await self.seal(onto: outgoing, wakeups: sealerWakeups, handler: handler) }
            if sealing.delaysReceipts { group.addTask { try await self.timeReceipts(receiptTimerStarts) } }
            // However reading ends (a GOODBYE, the connection lost), closing the queue releases a sealer waiting for
            // the writer, before the group waits for its tasks.
            defer {
                outgoing.close()
                sealerWake.finish()
            }
            group.addTask {
                while true {
                    try await Task.sleep(for: heartbeat)
                    if await handler.shouldLeave() {
                        // Receipts still waiting for the delay go first: what they answer need not come again.
                        let receipts = self.state.withLock { Self.takeReceipts(&$0) }
                        if !receipts.isEmpty { self.signReceipts(receipts, onto: outgoing) }
                        outgoing.enqueue([.goodbye(reason: "going offline")])
                        return
                    }
                    outgoing.enqueue([.heartbeat])
                }
            }
            while let frame = try await frames.next() {
                switch frame {
                case .delivery(let delivery):
                    if let receipt = await handler.delivered(delivery) { receiptWaits(receipt) }
                case .ack(let ack) where ack.kind == .accepted:
                    if answered(ack.message) { await handler.answered(ack.message, refusal: nil) }
                case .nack(let refusal):
                    if answered(refusal.message) { await handler.answered(refusal.message, refusal: refusal) }
                default:
                    break
                }
                if case .goodbye = frame { break }
            }
            group.cancelAll()
        }
    }

    /// A live connection: every unanswered message goes on it first, oldest first.
    private func attach(
        _ outgoing: FrameQueue,
        sealerWake: AsyncStream<Void>.Continuation,
        receiptTimer: AsyncStream<Void>.Continuation
    ) {
        state.withLock { state in
            state.statistics.connections += 1
            if let lostAt = state.lostAt { state.statistics.timeWithoutRouter += ContinuousClock.now - lostAt }
            state.lostAt = nil
            let connection = state.statistics.connections
            let waiting = state.pending.sorted { $0.value.order < $1.value.order }
            state.statistics.resent += waiting.count { $0.value.connection != 0 }
            for (id, _) in waiting { state.pending[id]?.connection = connection }
            outgoing.enqueue(waiting.map { .message(envelope: $0.value.bytes) })
            logger.debug(
                "welcomed by the router",
                metadata: ["connection": "\(connection)", "unanswered": "\(waiting.count)"]
            )
            state.outgoing = outgoing
            state.sealerWake = sealerWake
            state.receiptTimer = receiptTimer
            // What was in flight is resent above: the sealer need not wait for its answers.
            state.batchInFlight = []
        }
        // Messages handed over while disconnected are signed now, after the resends.
        sealerWake.yield()
        changes?.changed()
        welcomeWaiters.resumeAll(returning: true)
        roomWaiters.resumeAll(returning: ())
    }

    private func lost() {
        state.withLock { state in
            guard state.outgoing != nil else { return }
            state.outgoing = nil
            state.sealerWake = nil
            state.receiptTimer = nil
            state.unsignedReceipts = []
            state.receiptsDue = false
            state.lostAt = ContinuousClock.now
        }
        changes?.changed()
    }

    /// Takes an answered message out of the session; when it was the last of the batch in flight, wakes the sealer.
    private func answered(_ id: UUID) -> Bool {
        let (first, wake) = state.withLock { state in
            let first = state.pending.removeValue(forKey: id) != nil
            let last = state.batchInFlight.remove(id) != nil && state.batchInFlight.isEmpty
            return (first, last ? state.sealerWake : nil)
        }
        wake?.yield()
        if first { changes?.changed() }
        return first
    }

    private func end() {
        state.withLock { $0.ended = true }
        welcomeWaiters.resumeAll(returning: false)
        roomWaiters.resumeAll(returning: ())
    }
}

/// What a client does with its session's events. Called from the connection's reading task, one event at a time.
public protocol RouterSessionHandler: Sendable {
    /// Whether to connect (again): may wait first (an offline window); `false` ends the session.
    func mayConnect() async -> Bool
    /// The router welcomed the session: its simulated time and time scale.
    func welcomed(_ welcome: Frame.Welcome) async
    /// A delivery: returns what the receipt acknowledges (once acted on, or known to be acted on already: the
    /// message, its digests, when it was received), or `nil` to leave it unacknowledged (a bad envelope).
    func delivered(_ delivery: Frame.Delivery) async -> DeliveryReceipt.Content?
    /// The router's first answer to a message sent on this session: ACCEPTED (`refusal` nil) or a refusal.
    func answered(_ id: UUID, refusal: Frame.Refusal?) async
    /// Checked at every heartbeat: `true` says GOODBYE and ends the connection.
    func shouldLeave() async -> Bool
    /// The connection ended (the session may connect again).
    func disconnected() async
    /// Messages handed over unsigned could not be signed (a header that cannot be encoded): they are not sent.
    func unsealable(_ ids: [UUID]) async
}

extension RouterSessionHandler {
    public func unsealable(_ ids: [UUID]) async {}
    public func shouldLeave() async -> Bool { false }
    public func disconnected() async {}
}
