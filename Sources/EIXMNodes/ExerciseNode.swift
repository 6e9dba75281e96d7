import EIXMCrypto
import EIXMModel
import EIXMRules

import EIXMTransport
import Foundation
import Logging

/// One node of an exercise (a SPOC, Europol, Eurojust or Frontex) as an actor holding its identity. It connects
/// to the router (reconnecting with backoff), sends traffic by its behaviour, verifies and acts on each delivery
/// once, answers requests after a simulated delay, and keeps what it sent until the router acknowledges it.
public actor ExerciseNode {
    public let identity: NodeIdentity
    public let behaviour: NodeBehaviour
    let rules: RulesConfiguration
    let keys: KeyDirectory
    let clock: any ExerciseClock
    let transport: any ClientTransport
    let logger: Logger
    /// What the node sends of its own accord.
    var traffic: TrafficMix

    /// The simulated time the exercise started: offline windows count from it.
    let start: Timestamp
    var random: SeededGenerator
    /// Message IDs: from the seed mixed with the run's own ID, so that two runs of one seed never reuse an ID (a
    /// router that outlives a run would refuse the second run's messages as duplicates).
    var ids: SeededGenerator
    /// Answers to send later: the scheduler task sleeps until each is due.
    let answers: AsyncStream<ScheduledAnswer>
    let answerQueue: AsyncStream<ScheduledAnswer>.Continuation
    /// What the live connection's writer sends, in order.
    var outgoing: FrameQueue?
    /// Messages sent and not yet acknowledged by the router, oldest first: sent again after a reconnect.
    var unacknowledged: [(header: Header, bytes: [UInt8])] = []
    /// Deadlines of the requests this node received, as the router gave them.
    var receivedDeadlines: [UUID: Timestamp] = [:]
    /// Requests this node sent and is waiting to have answered.
    var awaitingAnswers: Set<UUID> = []
    /// Clarification requests this node sent, with the request each is about.
    var clarificationsSent: [UUID: Header] = [:]
    var statistics = NodeStatistics()
    var stopped = false
    /// Waiting for the first WELCOME: until it comes the node's clock may not be the router's (a node process).
    var awaitingFirstConnection: [CheckedContinuation<Void, Never>] = []
    /// Whether the node still tries to connect.
    var connecting = true

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
        logger: Logger
    ) {
        self.identity = identity
        self.behaviour = behaviour
        self.rules = rules
        self.keys = keys
        self.clock = clock
        self.transport = transport
        start = clock.now
        random = SeededGenerator(seed: seed)
        ids = SeededGenerator(seed: seed ^ runID)
        traffic = TrafficMix(node: identity.nodeID, behaviour: behaviour, rules: rules, peers: peers, seed: random.next())
        (answers, answerQueue) = AsyncStream<ScheduledAnswer>.makeStream()
        var logger = logger
        logger[metadataKey: "node.id"] = "\(identity.nodeID)"
        self.logger = logger
    }

    public nonisolated var nodeID: NodeID { identity.nodeID }

    public func snapshot() -> NodeStatistics { statistics }

    /// How many messages the router has not yet acknowledged.
    public var unacknowledgedCount: Int { unacknowledged.count }

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

    /// Signs and sends a message; it waits in `unacknowledged` until the router answers.
    func transmit(_ header: Header, body: String) {
        guard let envelope = try? identity.seal(header, body: Array(body.utf8)) else {
            logger.error("cannot seal a message", metadata: ["message.id": "\(header.id)"])
            return
        }
        let bytes = envelope.wireBytes()
        unacknowledged.append((header, bytes))
        statistics.sent += 1
        if header.messageType == .request {
            statistics.requestsSent += 1
            awaitingAnswers.insert(header.id)
        }
        outgoing?.enqueue([.message(envelope: bytes)])
    }

    func newID() -> UUID { ids.uuid() }

    func chance(_ share: Double) -> Bool { Double.random(in: 0..<1, using: &random) < share }
}
