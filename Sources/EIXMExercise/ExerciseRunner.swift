import EIXMAudit
import EIXMCrypto
import EIXMModel
import EIXMNodes
import EIXMRouter
import EIXMRules
import EIXMSpool
import EIXMTransport
import EIXMTransportNIO
import Foundation
import Logging

/// Runs an exercise: the router listening on 127.0.0.1 over mutual TLS, one node actor per configured node
/// connecting to it with its own certificate, traffic for the configured duration (or until stopped), a drain for
/// what is in flight, then the report.
public struct ExerciseRunner: Sendable {
    public let configuration: ExerciseConfiguration
    public let logger: Logger

    public init(configuration: ExerciseConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// The router, its audit log and the nodes of a run, for the report.
    struct Parts {
        let router: Router
        let audit: InMemoryAuditLog
        let nodes: [ExerciseNode]
    }

    /// Runs the exercise. `pki` defaults to an ephemeral PKI made for the run; `auditDirectory`, when given,
    /// receives the durable audit log (hash chain, checkpoints signed with the router's key) and `spoolDirectory` the
    /// router's spool (an ACK then means stored in both); `stop` ends the
    /// traffic early (Ctrl-C); `progress` receives a status line every second. Returns the report, the router's
    /// audit events and each node's own record of what it sent, was accepted and acted on.
    public func run(
        pki: ExercisePKI? = nil,
        auditDirectory: URL? = nil,
        spoolDirectory: URL? = nil,
        stop: AsyncStream<Void>? = nil,
        progress: @escaping @Sendable (String) -> Void = { _ in }
    ) async throws -> (report: ExerciseReport, audit: [AuditEvent], nodes: [NodeID: NodeStatistics]) {
        let configuration = self.configuration
        let pki = try pki ?? ExercisePKI.generate(nodes: configuration.nodes, router: configuration.router.identity)
        let keys = try pki.keyDirectory()
        let audit = InMemoryAuditLog()
        let routerIdentity = try pki.identity(for: configuration.router.identity)
        let fileLog = try auditDirectory.map {
            try FileAuditLog(directory: $0, signer: AuditSigner(signer: routerIdentity.nodeID.rawValue, key: routerIdentity.privateKey))
        }
        let spool = try spoolDirectory.map {
            try Spool.open(directory: $0, configuration: SpoolConfiguration(retainMessages: configuration.router.contextMessages)).spool
        }
        let idle = Duration.milliseconds(Int64(configuration.router.heartbeatMilliseconds) * 5)
        let server = try await TLSServer.bind(
            host: "127.0.0.1",
            port: 0,
            credentials: TLSCredentials(identity: try pki.identity(for: configuration.router.identity), trustRoot: pki.caCertificate),
            idleTimeout: idle,
            logger: logger
        )
        logger.info("router listening", metadata: ["port": "\(server.port)", "nodes": "\(configuration.nodes.count)"])
        var clients: [(NodeID, TLSClient)] = []
        for id in configuration.nodes {
            clients.append(
                (
                    id,
                    try TLSClient(
                        host: "127.0.0.1",
                        port: server.port,
                        router: configuration.router.identity,
                        credentials: TLSCredentials(identity: try pki.identity(for: id), trustRoot: pki.caCertificate),
                        idleTimeout: idle
                    )
                )
            )
        }
        // Simulated time stands still until every node is connected (or the connection wait is over): a slow
        // start on a busy machine costs no traffic.
        let clock = ScaledClock(start: configuration.start, scale: configuration.timeScale, paused: true)
        let router = Router(
            configuration: configuration.router,
            rules: RulesEngine(configuration: configuration.rules),
            keys: keys,
            clock: clock,
            audit: fileLog.map { TeeAuditSink([audit, $0]) } ?? audit,
            spool: spool,
            logger: logger
        )
        var nodes: [ExerciseNode] = []
        // Each node draws its own seed from one generator: seeds next to each other would give SplitMix streams
        // that are the same stream shifted by a step.
        var seeds = SeededGenerator(seed: configuration.seed)
        for (id, client) in clients {
            nodes.append(
                ExerciseNode(
                    identity: try pki.identity(for: id),
                    behaviour: configuration.behaviour(of: id),
                    rules: configuration.rules,
                    keys: keys,
                    peers: configuration.nodes,
                    clock: clock,
                    transport: client,
                    seed: seeds.next(),
                    logger: logger
                )
            )
        }
        let parts = Parts(router: router, audit: audit, nodes: nodes)
        let started = ContinuousClock.now
        let trafficEnd = configuration.end
        let connectedUntil = trafficEnd.adding(seconds: Int64((configuration.drainSeconds + 3600) * configuration.timeScale))
        var trafficSeconds = configuration.durationSeconds
        var onlineAtEnd: Set<NodeID> = []
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await server.serve { connection in await router.serve(connection) } }
            for node in nodes {
                group.addTask { await node.run(trafficUntil: trafficEnd, until: connectedUntil) }
            }
            group.addTask {
                var last = RouterStatistics()
                while !Task.isCancelled {
                    do { try await Task.sleep(for: .seconds(1)) } catch { return }
                    let now = await router.snapshot()
                    progress(Self.progressLine(now, previous: last, clock: clock, elapsed: ContinuousClock.now - started, nodes: configuration.nodes.count))
                    last = now
                }
            }
            // Nodes whose behaviour keeps them offline at the start are not waited for.
            let present = configuration.nodes.filter { node in !configuration.behaviour(of: node).offline.contains { $0.contains(0) } }
            await Self.waitForNodes(router, count: present.count, seconds: 30)
            clock.begin()
            let trafficStarted = ContinuousClock.now
            await Self.wait(seconds: configuration.durationSeconds, or: stop)
            trafficSeconds = Self.seconds(ContinuousClock.now - trafficStarted)
            for node in nodes { await node.stopTraffic() }
            await Self.drain(parts, seconds: configuration.drainSeconds)
            onlineAtEnd = await router.snapshot().onlineNodes
            group.cancelAll()
        }
        await router.flushed()
        await router.sweepDeadlines()
        spool?.close()
        try fileLog?.close()
        var records: [NodeID: NodeStatistics] = [:]
        for node in nodes { records[node.nodeID] = await node.snapshot() }
        let report = Self.report(
            parts, statistics: await router.snapshot(), records: records, configuration: configuration, realSeconds: trafficSeconds, onlineAtEnd: onlineAtEnd, clock: clock
        )
        return (report, audit.events, records)
    }

    /// Waits until `count` nodes are online at the router, for at most `seconds`.
    private static func waitForNodes(_ router: Router, count: Int, seconds: Double) async {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline, await router.snapshot().onlineNodes.count < count {
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Waits for the duration, or until `stop` yields.
    private static func wait(seconds: Double, or stop: AsyncStream<Void>?) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await Task.sleep(for: .seconds(seconds)) }
            if let stop {
                group.addTask {
                    var iterator = stop.makeAsyncIterator()
                    _ = await iterator.next()
                }
            }
            await group.next()
            group.cancelAll()
        }
    }

    /// Waits until nothing is in flight (no queue at the router for a node of the exercise, nothing unacknowledged
    /// at the nodes) or the drain time is up.
    private static func drain(_ parts: Parts, seconds: Double) async {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline {
            let queues = await parts.router.snapshot().queueDepths.filter { depth in parts.nodes.contains { $0.nodeID == depth.key } }.values.reduce(0, +)
            var waiting = 0
            for node in parts.nodes { waiting += node.unacknowledgedCount }
            if queues == 0, waiting == 0 { return }
            try? await Task.sleep(for: .milliseconds(100))
        }
    }

    /// One (message, recipient) pair that must be acted on.
    private struct DeliveryPair: Hashable {
        let message: UUID
        let node: NodeID
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    private static func progressLine(
        _ now: RouterStatistics,
        previous: RouterStatistics,
        clock: ScaledClock,
        elapsed: Duration,
        nodes: Int
    ) -> String {
        let queue = now.queueDepths.values.reduce(0, +)
        let p50 = now.latencyMicroseconds["p50"].map { "\(Int($0))" } ?? "-"
        let p99 = now.latencyMicroseconds["p99"].map { "\(Int($0))" } ?? "-"
        return String(
            format: "[%5.1fs] sim %@ | online %d/%d | accepted %d (+%d/s) rejected %d (+%d/s) delivered %d (+%d/s) | queued %d | latency p50 %@ µs p99 %@ µs",
            seconds(elapsed), clock.now.rfc3339, now.onlineNodes.count, nodes, now.accepted, now.accepted - previous.accepted,
            now.rejected, now.rejected - previous.rejected, now.delivered, now.delivered - previous.delivered, queue, p50, p99
        )
    }

    private static func report(
        _ parts: Parts,
        statistics: RouterStatistics,
        records: [NodeID: NodeStatistics],
        configuration: ExerciseConfiguration,
        realSeconds: Double,
        onlineAtEnd: Set<NodeID>,
        clock: ScaledClock
    ) -> ExerciseReport {
        var perNode: [String: ExerciseReport.NodeSummary] = [:]
        var duplicates = 0
        for (node, snapshot) in records {
            duplicates += snapshot.duplicatesSuppressed
            perNode[node.rawValue] = .init(
                sent: snapshot.sent,
                accepted: snapshot.accepted,
                rejected: snapshot.rejected,
                received: snapshot.received,
                answered: snapshot.answered,
                answeredInTime: snapshot.answeredInTime,
                answeredLate: snapshot.answeredLate,
                requestsSent: snapshot.requestsSent,
                answersReceived: snapshot.answersReceived,
                connections: snapshot.connections
            )
        }
        // What must be acted on: every addressee of every message its sender was told was accepted (the senders'
        // record), and every copy the router says it made (its audit log): a router that drops an addressee
        // cannot hide it in its own account.
        var pairs: Set<DeliveryPair> = []
        for snapshot in records.values {
            for header in snapshot.acceptedHeaders {
                for node in header.recipients { pairs.insert(DeliveryPair(message: header.id, node: node)) }
            }
        }
        for event in parts.audit.events where event.kind == .delivered || event.kind == .queued {
            guard let id = event.messageID, let node = event.node else { continue }
            pairs.insert(DeliveryPair(message: id, node: node))
        }
        var expected = 0
        var acted = 0
        var forAbsentNodes = 0
        for pair in pairs {
            // A rule may copy or notify a node the exercise leaves out (the SPOC of an affected state): the router
            // keeps it for that node, which never comes.
            guard let actedOn = records[pair.node]?.actedOn else {
                forAbsentNodes += 1
                continue
            }
            expected += 1
            if actedOn.contains(pair.message) { acted += 1 }
        }
        let connected = configuration.nodes.filter { statistics.connectedNodes.contains($0) }
        return ExerciseReport(
            name: configuration.name,
            seed: configuration.seed,
            timeScale: configuration.timeScale,
            realSeconds: realSeconds,
            simulatedStart: configuration.start.rfc3339,
            simulatedEnd: clock.now.rfc3339,
            mode: configuration.rules.mode.rawValue,
            nodes: .init(
                configured: configuration.nodes.count,
                connected: connected.map(\.rawValue),
                neverConnected: configuration.nodes.filter { !statistics.connectedNodes.contains($0) }.map(\.rawValue),
                offlineAtEnd: configuration.nodes.filter { !onlineAtEnd.contains($0) && statistics.connectedNodes.contains($0) }.map(\.rawValue)
            ),
            messages: .init(
                received: statistics.received,
                accepted: statistics.accepted,
                rejected: statistics.rejected,
                delivered: statistics.delivered,
                acknowledged: statistics.acknowledged,
                copies: statistics.copies,
                waitingAtEnd: statistics.queueDepths.values.reduce(0, +)
            ),
            acceptedByChannelAndType: statistics.acceptedByChannelAndType,
            rejectionsByRule: statistics.rejectionsByRule,
            obligations: statistics.obligations,
            delivery: .init(
                expected: expected,
                actedOn: acted,
                notActedOn: expected - acted,
                duplicatesSuppressed: duplicates,
                actedOnTwice: 0,
                keptForAbsentNodes: forAbsentNodes
            ),
            deadlines: .init(met: statistics.deadlinesMet, breached: statistics.deadlinesBreached, open: statistics.deadlinesOpen, extended: statistics.deadlinesExtended),
            acceptedPerSecond: Double(statistics.accepted) / max(realSeconds, 0.001),
            deliveredPerSecond: Double(statistics.delivered) / max(realSeconds, 0.001),
            routerLatencyMicroseconds: statistics.latencyMicroseconds,
            refusedConnections: statistics.refusedConnections,
            perNode: perNode
        )
    }
}
