import EIXMCrypto
import EIXMModel
import EIXMRules
import EIXMTransport
import Foundation
import Logging

/// One node of an exercise (a SPOC, Europol, Eurojust or Frontex) as an actor holding its identity. It connects
/// to the router through its session (reconnecting with backoff, sending again what the router has not answered),
/// sends traffic by its behaviour, verifies and acts on each delivery once, and answers requests after a simulated
/// delay.
public actor ExerciseNode {
    public let identity: NodeIdentity
    public let behaviour: NodeBehaviour
    let rules: RulesConfiguration
    let keys: KeyDirectory
    let clock: any ExerciseClock
    let session: RouterSession
    let logger: Logger
    /// What the node sends of its own accord.
    var traffic: TrafficMix

    /// The simulated time the exercise started (by default, when the node was made): offline windows count from it.
    let start: Timestamp
    var random: SeededGenerator
    /// Message IDs: from the seed mixed with the run's own ID, so that two runs of one seed never reuse an ID (a
    /// router that outlives a run would refuse the second run's messages as duplicates).
    var ids: SeededGenerator
    /// Answers to send later: the scheduler task sleeps until each is due.
    let answers: AsyncStream<ScheduledAnswer>
    let answerQueue: AsyncStream<ScheduledAnswer>.Continuation
    /// Messages sent and not yet answered by the router (the session sends them again after a reconnect).
    var unanswered: [UUID: Header] = [:]
    /// Deadlines of the requests this node received, as the router gave them.
    var receivedDeadlines: [UUID: Timestamp] = [:]
    /// Requests this node sent and is waiting to have answered.
    var awaitingAnswers: Set<UUID> = []
    /// Clarification requests this node sent, with the request each is about.
    var clarificationsSent: [UUID: Header] = [:]
    var statistics = NodeStatistics()
    let metrics: NodeMetrics
    var stopped = false
    /// Until when the node connects (and reconnects) to the router.
    var connectUntil: Timestamp?
    /// What the node must remember across its own crash (`eixm node --state`), with what is still to be written.
    let journal: NodeJournal?
    var journalEntries: [NodeJournal.Entry] = []
    var nextAnswerNumber = 0

    public init(
        identity: NodeIdentity,
        behaviour: NodeBehaviour,
        rules: RulesConfiguration,
        keys: KeyDirectory,
        peers: [NodeID],
        clock: any ExerciseClock,
        transport: any ClientTransport,
        seed: UInt64,
        runID: UInt64 = .random(in: .min ... .max),
        journal: sending NodeJournal? = nil,
        start: Timestamp? = nil,
        logger: Logger,
        changes: ChangeSignal? = nil
    ) {
        self.identity = identity
        metrics = NodeMetrics(node: identity.nodeID)
        self.behaviour = behaviour
        self.rules = rules
        self.keys = keys.withOwnRootCache()
        self.clock = clock
        self.start = start ?? clock.now
        random = SeededGenerator(seed: seed)
        ids = SeededGenerator(seed: seed ^ runID)
        traffic = TrafficMix(
            node: identity.nodeID,
            behaviour: behaviour,
            rules: rules,
            peers: peers,
            seed: random.next()
        )
        (answers, answerQueue) = AsyncStream<ScheduledAnswer>.makeStream()
        var logger = logger
        logger[metadataKey: "node.id"] = "\(identity.nodeID)"
        self.logger = logger
        session = RouterSession(
            sealing: RouterSession.Sealing(
                identity: identity,
                mode: behaviour.signatures,
                batchMaximum: Int(BatchSignature.maximumBatchSize)
            ),
            transport: transport,
            seed: random.next(),
            logger: logger,
            changes: changes
        )
        self.journal = journal
        guard let remembered = journal?.remembered else { return }
        // Restarted on its journal: what it acted on stays acted on, what the router had not answered is sent again
        // with its ID, and the answers it had scheduled are scheduled again.
        statistics.actedOn = remembered.actedOn
        clarificationsSent = remembered.clarifying
        nextAnswerNumber = remembered.nextAnswerNumber
        var messages: [(id: UUID, bytes: [UInt8])] = []
        for (id, envelope) in remembered.unanswered {
            guard let header = try? Envelope(wireBytes: envelope).header else { continue }
            unanswered[id] = header
            messages.append((id, envelope))
        }
        session.send(messages, resending: true)
        for answer in remembered.answers.values.sorted(by: { $0.number < $1.number }) { answerQueue.yield(answer) }
    }

    /// Writes what the journal is still to record; `false` (logged) when it cannot, and the node must then not do
    /// what the records were to make safe. Always `true` without a journal.
    func writeJournal() -> Bool {
        guard let journal, !journalEntries.isEmpty else { return true }
        do {
            try journal.record(journalEntries)
            journalEntries.removeAll()
            return true
        } catch {
            logger.critical("cannot write the node's journal", metadata: ["reason": "\(error)"])
            return false
        }
    }

    public nonisolated var nodeID: NodeID { identity.nodeID }

    public func snapshot() -> NodeStatistics {
        var statistics = statistics
        statistics.session = session.statistics
        return statistics
    }

    /// How many messages the router has not yet answered.
    public nonisolated var unacknowledgedCount: Int { session.unansweredCount }

    /// Stops sending: no new traffic and no more answers, so that what is in flight can drain; the connection
    /// stays up, receiving and acknowledging, until the task ends.
    public func stopTraffic() { stopped = true }

    /// Runs the node: new traffic until `trafficEnd`, its connection (with reconnects) and its answers until
    /// `end` or until the task is cancelled.
    public func run(trafficUntil trafficEnd: Timestamp, until end: Timestamp) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.stayConnected(until: end) }
            group.addTask { await self.generateTraffic(until: trafficEnd) }
            group.addTask { await self.sendAnswers() }
            await group.next()
            await group.next()
            answerQueue.finish()
            await group.waitForAll()
        }
    }

    // MARK: - Sending

    /// Signs and sends a message; it waits in `unanswered` until the router answers.
    func transmit(_ header: Header, body: String) {
        guard let envelope = try? identity.seal([(header, Array(body.utf8))], mode: behaviour.signatures).first else {
            logger.error("cannot seal a message", metadata: ["message.id": "\(header.id)"])
            return
        }
        if journal != nil { journalEntries.append(.sent(header.id, envelope: Data(envelope.wireBytes()))) }
        // Recorded before it leaves: a node restarted on its journal sends it again instead of deciding anew.
        guard writeJournal() else { return }
        unanswered[header.id] = header
        statistics.sent += 1
        metrics.messageSent()
        if header.messageType == .request {
            statistics.requestsSent += 1
            awaitingAnswers.insert(header.id)
        }
        session.send(header.id, envelope: envelope.wireBytes())
    }

    func newID() -> UUID { ids.uuid() }

    func chance(_ share: Double) -> Bool { Double.random(in: 0..<1, using: &random) < share }
}
