import Crypto
import DequeModule
import EIXMAudit
import EIXMCrypto
import EIXMModel
import EIXMRules
import EIXMSpool
import EIXMTransport
import Foundation
import Histogram
import Logging
import Metrics

/// The router: it authenticates each node's connection, verifies every envelope's signature, refuses duplicates
/// and replays, asks the rules engine, audits the decision, and forwards accepted messages to each addressee (and
/// the copies the rules require), or keeps them while the addressee is offline.
///
/// An answer means stored: the ACK or NACK to a sender and the deliveries of an accepted message are held until the
/// audit log has the decision and the spool has the message (one commit for everything decided meanwhile), and only
/// then sent. Restarted on its spool, the router rebuilds what it had promised (``recover(_:)``).
///
/// The actor owns the shared state (case context, queues, links, counters). Per-connection work (frame decoding,
/// signature verification, digests) runs in the connections' own tasks (`Router+Connection.swift`), so it uses
/// every core; only the decision and the bookkeeping pass through the actor, a run of messages of one read at a time.
/// The actor has a thread of its own (``ThreadExecutor``): everything waits on it, so its jobs do not queue behind
/// the signature checks on the shared threads (measured: the commit's hop back to the actor took ~10 ms there under
/// per-message load, 1 ms on its own thread).
public actor Router {
    public let configuration: RouterConfiguration
    /// The rules; their policy mode may change while the router runs (``change(mode:)``).
    var engine: RulesEngine
    let keys: KeyDirectory
    /// The same keys with a root cache of their own for receipts (whose roots are never an envelope's), so that the
    /// statistics tell the two apart.
    let receiptKeys: KeyDirectory
    let clock: any ExerciseClock
    let audit: any AuditSink
    let spool: Spool?
    let logger: Logger
    /// Told whenever a node's queue changes or a node connects or leaves, for whoever waits on them (a drain, a
    /// fault's recovery watch).
    let changes: ChangeSignal?

    var context: CaseContext
    var links: [NodeID: Link] = [:]
    var outboxes: [NodeID: Outbox] = [:]
    /// Node hashes of batch paths that the router remembers, for messages and for receipts each: enough for the
    /// upper nodes of the batches of a dozen senders at once, in 104 KiB per memo (small enough to stay in cache).
    static let memoizedNodes = 1_024
    /// The messages routed lately, by ID, with what they were answered, and in which order, to answer resends.
    var seen = UUIDMap<Routed>()
    private var seenOrder: Deque<UUID> = []
    /// What was decided and is not yet stored, in order: sent once the audit log and the spool have it.
    var unstored: [Release] = []
    /// Audit events and spool records of the run of messages (or receipts) being handled, handed to the audit log and
    /// the spool together when it ends (``handOver()``): one append each per run, not per message.
    var unlogged: [AuditEvent] = []
    var spoolRecords: [SpoolRecord] = []
    var committing = false
    /// Callers of ``flushed()`` waiting for the held answers to be stored and released.
    var flushWaiters: [CheckedContinuation<Void, Never>] = []

    /// What a commit releases: an answer to a sender, or a delivery to its recipient.
    enum Release {
        case answer(Frame, to: NodeID)
        case delivery(UUID, to: NodeID)
    }
    private var generation: UInt64 = 0
    var statistics = RouterStatistics()
    /// The same figures for whoever scrapes the process (see ``RouterMetrics``).
    var metrics: RouterMetrics
    private var latency = Histogram<UInt64>(numberOfSignificantValueDigits: .three)
    /// How long each commit took, and when the one under way began.
    var commits = Histogram<UInt64>(numberOfSignificantValueDigits: .three)
    var commitStarted = ContinuousClock.now
    /// The same since the last ``takeIntervalLatency()``, for a per-second series.
    private var intervalLatency = Histogram<UInt64>(numberOfSignificantValueDigits: .three)
    /// Accepted messages and obligations, counted by typed keys on the hot path and named in `snapshot()`.
    private var acceptedCounts: [AcceptedKey: Int] = [:]
    private var obligationCounts: [ObligationKey: Int] = [:]

    private struct AcceptedKey: Hashable {
        let channel: Channel
        let type: MessageType
    }

    private struct ObligationKey: Hashable {
        let rule: RuleID
        let kind: Obligation.Kind
    }

    /// Requests with a running deadline.
    var deadlines = OpenDeadlines()

    /// The actor's own thread (see ``ThreadExecutor``).
    let executor = ThreadExecutor(name: "eixm.router")
    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    deinit { executor.shutdown() }

    public init(
        configuration: RouterConfiguration,
        rules: RulesEngine,
        keys: KeyDirectory,
        clock: any ExerciseClock,
        audit: any AuditSink,
        spool: Spool? = nil,
        logger: Logger,
        metrics: any MetricsFactory = MetricsSystem.factory,
        changes: ChangeSignal? = nil
    ) {
        self.configuration = configuration
        context = CaseContext(capacity: configuration.contextMessages)
        engine = rules
        // The router sees every envelope of each sender's batches and every receipt of each node's: each node hash of
        // their paths computed once.
        self.keys = keys.withOwnRootCache(memoizedNodes: Self.memoizedNodes)
        receiptKeys = keys.withOwnRootCache(memoizedNodes: Self.memoizedNodes)
        self.clock = clock
        self.audit = audit
        self.spool = spool
        self.logger = logger
        self.metrics = RouterMetrics(factory: metrics)
        self.changes = changes
    }

    // MARK: - Policy

    /// Changes the policy mode the rules apply from the next message on (e.g. SIENA becoming mandatory).
    public func change(mode: PolicyMode) {
        var rules = engine.configuration
        guard rules.mode != mode else { return }
        rules.mode = mode
        engine = RulesEngine(configuration: rules)
        logger.notice("policy mode changed", metadata: ["mode": "\(mode.rawValue)"])
    }

    // MARK: - Connections

    /// Registers a node's new connection; returns its link and the frames still waiting for it (sent again).
    func attach(_ node: NodeID) -> (Link, [Frame]) {
        generation += 1
        links[node]?.frames.close()
        let link = Link(
            node: node,
            generation: generation,
            // Deliveries waiting for the node are bounded by the queue limit (a full queue NACKs their senders):
            // the node's reader pauses only when, beyond those, more than the backlog limit of the node's own
            // answers waits, i.e. when the node does not read what it is answered.
            frames: FrameQueue(backlogLimit: configuration.backlogLimit + configuration.queueLimit)
        )
        links[node] = link
        statistics.connectedNodes.insert(node)
        statistics.onlineNodes.insert(node)
        let waiting = outboxes[node]?.pending ?? []
        // Each delivery sent again on the new connection is audited again.
        audit.append(
            waiting.map { entry in
                var delivered = event(.delivered)
                delivered.messageID = entry.id
                delivered.node = node
                return delivered
            }
        )
        statistics.delivered += waiting.count
        for entry in waiting { metrics.delivered(to: node, copyRule: entry.frame.copyRule) }
        metrics.onlineNodes(statistics.onlineNodes.count)
        changes?.changed()
        return (link, waiting.map(\.frame))
    }

    /// Forgets a closed connection (unless a newer one replaced it).
    func detach(_ link: Link) {
        link.frames.close()
        guard links[link.node]?.generation == link.generation else { return }
        links[link.node] = nil
        statistics.onlineNodes.remove(link.node)
        metrics.onlineNodes(statistics.onlineNodes.count)
        changes?.changed()
    }

    /// Audits a refused connection or impersonation attempt.
    func refuse(claimed: NodeID?, certified: NodeID, reason: RouterCheck, detail: String) {
        if reason == .authentication || reason == .revoked {
            statistics.refusedConnections += 1
            metrics.refusedConnection(reason.rawValue)
        }
        var event = event(.connectionRefused)
        event.claimed = claimed
        event.certified = certified
        event.rules = [reason.rawValue]
        event.reasons = [detail]
        audit.append([event])
        logger.warning(
            "connection refused",
            metadata: ["node.id": "\(certified)", "claimed": "\(claimed?.rawValue ?? "-")", "reason": "\(detail)"]
        )
    }

    /// Audits a certificate refused at the TLS handshake (or a connection closed because its certificate was
    /// revoked while it was open): who it named, its fingerprint, where it came from.
    public func refuseCertificate(_ refusal: CertificateRefusal, address: String) {
        statistics.refusedConnections += 1
        let check = refusal.kind == .revoked ? RouterCheck.revoked : RouterCheck.certificate
        metrics.refusedConnection(check.rawValue)
        var event = event(.connectionRefused)
        event.claimed = refusal.node
        event.rules = [check.rawValue]
        event.reasons = [refusal.detail]
        event.certificateFingerprint = refusal.fingerprint
        event.peerAddress = address
        audit.append([event])
        logger.warning(
            "certificate refused",
            metadata: [
                "peer.address": "\(address)", "claimed": "\(refusal.node?.rawValue ?? "-")",
                "certificate.sha256": "\(refusal.fingerprint)", "reason": "\(refusal.detail)",
            ]
        )
    }

    // MARK: - Routing

    /// Routes the messages of one read from `sender` in order, then asks for one commit for all their answers.
    /// They arrived together and are judged at one time, read once.
    func route(_ arrivals: [Arrival], from sender: NodeID) {
        let time = moment()
        for arrival in arrivals {
            switch arrival {
            case .verified(let envelope, let wire, let digests, let started):
                route(envelope, wire: wire, digests: digests, from: sender, started: started, at: time)
            case .refused(let id, let header, let check, let detail, let started):
                refuseUnjudged(
                    id: id,
                    header: header,
                    check: check,
                    detail: detail,
                    to: sender,
                    started: started,
                    at: time
                )
            }
        }
        commit()
    }

    /// Judges and routes one verified envelope from `sender`; the answer to the sender (ACK or NACK) and the
    /// deliveries are queued on the links. `started` is when the frame arrived, for the latency figure.
    func route(
        _ envelope: Envelope,
        wire: [UInt8],
        digests: MessageDigests,
        from sender: NodeID,
        started: ContinuousClock.Instant,
        at time: Moment
    ) {
        let header = envelope.header
        let now = time.simulated
        statistics.received += 1
        metrics.received(header.channel, header.messageType)
        // One copy of the header's fields for all of this message's events. Its arrival is recorded once, by the
        // record of what became of it (accepted, rejected or duplicate), which alone carries the header and body
        // digests (`AuditRecord.isArrival`).
        let base = event(.accepted, header, at: time)
        var arrival = base
        arrival.headerDigest = digests.header
        arrival.bodyDigest = digests.body
        defer {
            recordLatency(since: started)
            if deadlines.anyDue(by: now) { sweepDeadlines() }
        }
        let fingerprint = digests.fingerprint
        if let routed = seen[header.id] {
            guard routed.fingerprint == fingerprint else {
                let reason = Frame.Refusal.Reason(
                    rule: RouterCheck.duplicate.rawValue,
                    text: "message ID \(header.id) was routed before, for another message"
                )
                refuse(header, [reason], arrival: arrival)
                return
            }
            // A resend (its sender did not get the answer before a reconnect): the same answer, after the original is
            // stored, and no second delivery.
            unlogged.append(arrival.with(.duplicate))
            let answer = routed.refusal.map { Frame.nack(Frame.Refusal(message: header.id, reasons: $0)) }
            hold(.answer(answer ?? .ack(Frame.Acknowledgement(message: header.id, kind: .accepted)), to: sender))
            return
        }
        if let refusal = routerRefusal(header, now: now) {
            refuse(header, [refusal], arrival: arrival)
            return
        }
        let decision = engine.decide(header, receivedAt: now, context: context)
        guard decision.verdict == .accept else {
            let reasons = decision.decisiveFirings.map { Frame.Refusal.Reason(rule: $0.rule.rawValue, text: $0.reason) }
            remember(header.id, Routed(fingerprint: fingerprint, refusal: reasons))
            refuse(header, reasons, arrival: arrival)
            return
        }
        // Recipients: the addressees, then the copies and notifications the rules require.
        var targets: [(node: NodeID, rule: RuleID?)] = header.recipients.map { ($0, nil) }
        for obligation in decision.obligations where obligation.kind == .copy || obligation.kind == .notify {
            if let node = obligation.to, node != sender, !targets.contains(where: { $0.node == node }) {
                targets.append((node, obligation.rule))
            }
        }
        if let full = targets.first(where: { (outboxes[$0.node]?.count ?? 0) >= configuration.queueLimit }) {
            refuse(
                header,
                [Frame.Refusal.Reason(rule: RouterCheck.queueFull.rawValue, text: "\(full.node)'s queue is full")],
                arrival: arrival
            )
            return
        }
        context.record(header, decision: decision, receivedAt: now)
        remember(header.id, Routed(fingerprint: fingerprint, refusal: nil))
        statistics.accepted += 1
        metrics.accepted(header.channel, header.messageType)
        acceptedCounts[AcceptedKey(channel: header.channel, type: header.messageType), default: 0] += 1
        var accepted = arrival
        accepted.rules = decision.firings.map(\.rule.rawValue)
        unlogged.append(accepted)
        trackDeadlines(header, decision, now: now, events: &unlogged)
        for obligation in decision.obligations {
            obligationCounts[ObligationKey(rule: obligation.rule, kind: obligation.kind), default: 0] += 1
        }
        let deadline = decision.obligations.first { $0.kind == .deadline }?.at
        spoolRecords.append(
            .accepted(
                AcceptedMessage(
                    id: header.id,
                    receivedAt: now,
                    deadline: deadline,
                    targets: targets.map { .init(node: $0.node, copyRule: $0.rule?.rawValue) },
                    envelope: wire
                )
            )
        )
        hold(.answer(.ack(Frame.Acknowledgement(message: header.id, kind: .accepted)), to: sender))
        for target in targets {
            let frame = Frame.delivery(
                Frame.Delivery(envelope: wire, copyRule: target.rule?.rawValue, deadline: deadline)
            )
            outboxes[target.node, default: Outbox()].append(header.id, frame, digests: digests, stored: false)
            outboxChanged(target.node)
            var delivery = base.with(links[target.node] == nil ? .queued : .delivered)
            delivery.node = target.node
            delivery.rules = target.rule.map { [$0.rawValue] } ?? []
            unlogged.append(delivery)
            if target.rule != nil { statistics.copies += 1 }
            hold(.delivery(header.id, to: target.node))
        }
    }

    /// A refusal by the router's own checks, before the rules: replay window, unknown node. Such a refusal (and a
    /// full queue) is not remembered: a resend is judged again.
    private func routerRefusal(_ header: Header, now: Timestamp) -> Frame.Refusal.Reason? {
        let skew = abs(header.createdAt.millisecondsSinceEpoch - now.millisecondsSinceEpoch) / 1000
        if skew > configuration.replayWindowSeconds {
            return .init(
                rule: RouterCheck.replay.rawValue,
                text: "created_at \(header.createdAt) is \(skew) s from the router's time, outside the replay window"
            )
        }
        if let unknown = engine.unknownNodes(in: header).first {
            return .init(
                rule: RouterCheck.unknownNode.rawValue,
                text: "\(unknown.node) (\(unknown.field.name)) is not a known node"
            )
        }
        return nil
    }

    /// NACKs a message to its sender and counts and audits the rejection.
    /// `arrival` is the message's event with its digests: the rejection keeps them, the NACK does not repeat them.
    func refuse(_ header: Header, _ reasons: [Frame.Refusal.Reason], arrival: AuditEvent) {
        statistics.rejected += 1
        for reason in reasons {
            statistics.rejectionsByRule[reason.rule, default: 0] += 1
            metrics.rejected(reason.rule)
        }
        var rejected = arrival.with(.rejected)
        rejected.rules = reasons.map(\.rule)
        rejected.reasons = reasons.map(\.text)
        unlogged.append(rejected)
        var nacked = arrival.with(.nacked)
        nacked.headerDigest = nil
        nacked.bodyDigest = nil
        nacked.rules = rejected.rules
        unlogged.append(nacked)
        hold(.answer(.nack(Frame.Refusal(message: header.id, reasons: reasons)), to: header.sender))
    }

    /// NACKs a message refused before it could be judged (bad signature, impersonation, unreadable envelope).
    func refuseUnjudged(
        id: UUID,
        header: Header?,
        check: RouterCheck,
        detail: String,
        to node: NodeID,
        started: ContinuousClock.Instant,
        at time: Moment
    ) {
        statistics.received += 1
        statistics.rejected += 1
        statistics.rejectionsByRule[check.rawValue, default: 0] += 1
        metrics.received(header?.channel, header?.messageType)
        metrics.rejected(check.rawValue)
        var rejected = event(.rejected, header, at: time)
        rejected.messageID = id
        rejected.rules = [check.rawValue]
        rejected.reasons = [detail]
        rejected.certified = node
        rejected.claimed = header?.sender
        unlogged.append(rejected)
        hold(.answer(.nack(Frame.Refusal(message: id, reasons: [.init(rule: check.rawValue, text: detail)])), to: node))
        recordLatency(since: started)
    }

    /// Receipts from `node`, checked by its connection's task; then one commit for the NACKs of any refused.
    func settle(_ receipts: [CheckedReceipt], from node: NodeID) {
        let time = moment()
        for receipt in receipts { settle(receipt, from: node, at: time) }
        commit()
    }

    /// A node's receipt for a delivery, its signature already checked off the actor and its digests in hex:
    /// acknowledged when its digests are those of the delivery waiting for the node and it verified, its receipt then
    /// going into the `acknowledged` record; refused otherwise; ignored when no delivery of that message waits for the
    /// node (a receipt sent again).
    private func settle(_ checked: CheckedReceipt, from node: NodeID, at time: Moment) {
        let receipt = checked.receipt
        let headerDigest = checked.headerDigest
        let bodyDigest = checked.bodyDigest
        guard let digests = outboxes[node]?.digests(of: receipt.message) else { return }
        let problem =
            if headerDigest != digests.header {
                "the receipt names header digest \(headerDigest), but the message delivered has \(digests.header)"
            } else if bodyDigest != digests.body {
                "the receipt names body digest \(bodyDigest), but the message delivered has \(digests.body)"
            } else if !checked.verified {
                "the receipt's signature (\(receipt.signature.schemeName)) does not verify with \(node)'s certified key"
            } else {
                nil as String?
            }
        var record = event(problem == nil ? .acknowledged : .receiptRefused, at: time)
        record.messageID = receipt.message
        record.node = node
        record.headerDigest = headerDigest
        record.bodyDigest = bodyDigest
        record.receipt = receipt
        guard let problem else {
            outboxes[node]?.remove(receipt.message)
            outboxChanged(node)
            statistics.acknowledged += 1
            metrics.acknowledgement()
            unlogged.append(record)
            spoolRecords.append(.delivered(message: receipt.message, to: node))
            return
        }
        // Refused: audited with what it claimed, answered with a NACK once audited; the delivery stays waiting and
        // is delivered again on the next connection.
        statistics.receiptsRefused += 1
        metrics.receiptRefused()
        record.rules = [RouterCheck.receipt.rawValue]
        record.reasons = [problem]
        unlogged.append(record)
        let reason = Frame.Refusal.Reason(rule: RouterCheck.receipt.rawValue, text: problem)
        hold(.answer(.nack(Frame.Refusal(message: receipt.message, reasons: [reason])), to: node))
    }

    /// Keeps the queue-depth gauge of `node` with its outbox.
    func outboxChanged(_ node: NodeID) {
        metrics.queueDepth(of: node, outboxes[node]?.count ?? 0)
        changes?.changed()
    }

    func remember(_ id: UUID, _ routed: Routed) {
        if seen.updateValue(routed, forKey: id) == nil { seenOrder.append(id) }
        while seenOrder.count > configuration.rememberedMessages { seen[seenOrder.removeFirst()] = nil }
    }

    private func recordLatency(since started: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - started
        let micros = elapsed.wholeMicroseconds
        latency.record(micros)
        intervalLatency.record(micros)
        metrics.routed(elapsed)
    }

    // MARK: - Deadlines

    func trackDeadlines(
        _ header: Header,
        _ decision: Decision,
        now: Timestamp,
        events: inout [AuditEvent],
        counting: Bool = true
    ) {
        for obligation in decision.obligations {
            switch obligation.kind {
            case .deadline:
                if let due = obligation.at { deadlines.open(header.id, rule: obligation.rule, due: due) }
            case .resumeDeadline:
                if let request = obligation.message, let due = context.entry(request)?.deadline {
                    deadlines.moved(request, due: due)
                }
            case .extendDeadline:
                if counting {
                    statistics.deadlinesExtended += 1
                    metrics.deadline(obligation.rule.rawValue, "extended")
                }
            default:
                break
            }
        }
        // Only an answer from the requested side closes the deadline (DL-07 says which).
        guard let request = decision.obligations.first(where: { $0.kind == .closeDeadline })?.message,
            let rule = deadlines.close(request), let entry = context.entry(request)
        else { return }
        guard counting else { return }
        let met = entry.extended || entry.deadline.map { now <= $0 } ?? true
        if met {
            statistics.deadlinesMet[rule.rawValue, default: 0] += 1
        } else {
            statistics.deadlinesBreached[rule.rawValue, default: 0] += 1
        }
        metrics.deadline(rule.rawValue, met ? "met" : "breached")
        var outcome = event(met ? .deadlineMet : .deadlineBreached, entry.header)
        outcome.rules = [rule.rawValue]
        outcome.node = header.sender
        events.append(outcome)
    }

    /// Counts as breached every open request whose deadline has passed with no answer (and no pause or extension).
    public func sweepDeadlines() {
        let breached = deadlines.breached(by: clock.now, in: context)
        guard !breached.isEmpty else { return }
        for (rule, entry) in breached {
            statistics.deadlinesBreached[rule.rawValue, default: 0] += 1
            metrics.deadline(rule.rawValue, "breached")
            var event = event(.deadlineBreached, entry.header)
            event.rules = [rule.rawValue]
            event.node = entry.header.to.first
            unlogged.append(event)
        }
        spoolRecords.append(contentsOf: breached.map { .deadlineBreached(message: $0.entry.header.id) })
        handOver()
    }

    // MARK: - Figures

    /// Whether every one of `nodes` is connected, and how many deliveries wait for them: a cheap look for whoever
    /// watches nodes come back (no copy of the statistics).
    public func backlog(of nodes: [NodeID]) -> (allOnline: Bool, waiting: Int) {
        (nodes.allSatisfy { links[$0] != nil }, nodes.reduce(0) { $0 + (outboxes[$1]?.count ?? 0) })
    }

    /// Deliveries waiting for any node: a cheap look for a drain.
    public func waitingDeliveries() -> Int { outboxes.values.reduce(0) { $0 + $1.count } }

    /// The latency percentiles (microseconds) since the last call, and a fresh start.
    public func takeIntervalLatency() -> [String: Double] {
        defer { intervalLatency.reset() }
        return intervalLatency.summary
    }

    /// A snapshot of the counters, with queue depths and latency percentiles.
    public func snapshot() -> RouterStatistics {
        var snapshot = statistics
        for (key, count) in acceptedCounts { snapshot.acceptedByChannelAndType["\(key.channel) \(key.type)"] = count }
        for (key, count) in obligationCounts { snapshot.obligations["\(key.rule) \(key.kind.rawValue)"] = count }
        snapshot.queueDepths = outboxes.mapValues(\.count).filter { $0.value > 0 }
        snapshot.deadlinesOpen = [:]
        for (rule, count) in deadlines.countsByRule { snapshot.deadlinesOpen[rule.rawValue] = count }
        snapshot.latencyMicroseconds = latency.summary
        snapshot.commitMicroseconds = commits.summary
        let roots = keys.verifiedRoots.statistics
        snapshot.batchRootVerifications = roots.verifications
        snapshot.batchRootHits = roots.hits
        let receiptRoots = receiptKeys.verifiedRoots.statistics
        snapshot.receiptRootVerifications = receiptRoots.verifications
        snapshot.receiptRootHits = receiptRoots.hits
        snapshot.pathNodesComputed = roots.pathNodesComputed + receiptRoots.pathNodesComputed
        snapshot.pathNodesRemembered = roots.pathNodesRemembered + receiptRoots.pathNodesRemembered
        return snapshot
    }

    // MARK: - Audit events

    /// Real and simulated time, read together.
    typealias Moment = (real: Timestamp, simulated: Timestamp)

    func moment() -> Moment { (Timestamp(Date()), clock.now) }

    /// An event at `time` (now by default), with the header's fields when there is one.
    func event(_ kind: AuditEvent.Kind, _ header: Header? = nil, at time: Moment? = nil) -> AuditEvent {
        let time = time ?? moment()
        var event = AuditEvent(kind: kind, realTime: time.real, simulatedTime: time.simulated)
        if let header {
            event.messageID = header.id
            event.caseID = header.caseID
            event.inReplyTo = header.inReplyTo
            event.sender = header.sender
            event.recipients = header.recipients
            event.channel = header.channel
            event.messageType = header.messageType
            event.handlingCodes = header.handlingCodes
            event.containsPersonalData = header.containsPersonalData
        }
        return event
    }
}
