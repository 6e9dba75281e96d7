import EIXMAudit
import EIXMCrypto
import EIXMModel
import EIXMNodes
import EIXMRouter
import EIXMRules
import EIXMScenario
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

    /// Runs the exercise. `pki` defaults to an ephemeral PKI made for the run; `folder`, when given, receives the
    /// router's durable audit log (`audit/`: hash chain, checkpoints signed with the router's key) and spool
    /// (`spool/`: an ACK then means stored in both), and the journals of nodes that a fault crashes (`nodes/`); `stop`
    /// ends the traffic early (Ctrl-C); `progress` receives a status line every second and a line per fault. Returns
    /// the report, the router's audit events (of every life) and each node's own record of what it sent, was accepted
    /// and acted on. `trafficStarted` is called once the traffic starts (every present node connected); `live`, when
    /// given, receives the report as it stands each second (for the live view: the faults still under way are not in
    /// it, and building it reads the run's events so far).
    ///
    /// The configuration's faults are played on their schedule. A router or node crash needs a folder to start again
    /// from: without one, the run uses a temporary folder, deleted at the end.
    public func run(
        pki: ExercisePKI? = nil,
        folder: URL? = nil,
        stop: AsyncStream<Void>? = nil,
        trafficStarted: @escaping @Sendable () -> Void = {},
        live: (@Sendable (ExerciseReport) -> Void)? = nil,
        progress: @escaping @Sendable (String) -> Void = { _ in }
    ) async throws -> (report: ExerciseReport, audit: [AuditEvent], nodes: [NodeID: NodeStatistics]) {
        let configuration = self.configuration
        let logger = self.logger
        let pki = try pki ?? ExercisePKI.generate(nodes: configuration.nodes, router: configuration.router.identity)
        let keys = try pki.keyDirectory()
        let state = StateFolder(
            given: folder,
            faults: configuration.faults,
            crashing: [.routerCrash, .nodeCrash],
            needed: !configuration.script.isEmpty
        )
        defer { state.removeIfTemporary() }
        let folder = state.url
        let audit = InMemoryAuditLog()
        // Simulated time stands still until every node is connected (or the connection wait is over): a slow
        // start on a busy machine costs no traffic.
        let clock = ScaledClock(start: configuration.start, scale: configuration.timeScale, paused: true)
        // Told when a router queue changes, a node connects or leaves, or a node is answered: the drain and the
        // faults' recovery watches wait on it.
        let changes = ChangeSignal()
        let host = RouterHost(
            configuration: configuration,
            pki: pki,
            keys: keys,
            clock: clock,
            folder: folder,
            memory: audit,
            logger: logger,
            changes: changes
        )
        try await host.start()
        let port = await host.port
        logger.info("router listening", metadata: ["port": "\(port)", "nodes": "\(configuration.nodes.count)"])
        let idle = Duration.milliseconds(Int64(configuration.router.heartbeatMilliseconds) * 5)
        var networks: [NodeID: PartitionableClient] = [:]
        for id in configuration.nodes {
            let client = try TLSClient(
                host: "127.0.0.1",
                port: port,
                router: configuration.router.identity,
                credentials: TLSCredentials(identity: try pki.identity(for: id), trustRoot: pki.caCertificate),
                idleTimeout: idle
            )
            networks[id] = PartitionableClient(client)
        }
        // Each node draws its own seed from one generator: seeds next to each other would give SplitMix streams
        // that are the same stream shifted by a step.
        var generator = SeededGenerator(seed: configuration.seed)
        var seeds: [NodeID: UInt64] = [:]
        for id in configuration.nodes { seeds[id] = generator.next() }
        // A node that a fault crashes keeps a journal, so that it starts again as `eixm node --state` would.
        let crashing = Set(configuration.faults.filter { $0.kind == .nodeCrash }.flatMap(\.nodes))
        let trafficEnd = configuration.end
        let connectedUntil = trafficEnd.adding(
            seconds: Int64((configuration.drainSeconds + 3600) * configuration.timeScale)
        )
        let crew = try ExerciseCrew(nodes: configuration.nodes, trafficEnd: trafficEnd, connectedUntil: connectedUntil)
        { [seeds, networks] id, life in
            let journal = try folder.flatMap { folder in
                crashing.contains(id)
                    ? try NodeJournal(
                        directory: folder.appendingPathComponent("nodes").appendingPathComponent(id.rawValue)
                    ) : nil
            }
            return ExerciseNode(
                identity: try pki.identity(for: id),
                behaviour: configuration.behaviour(of: id),
                rules: configuration.rules,
                keys: keys,
                peers: configuration.nodes,
                clock: clock,
                transport: networks[id]!,
                seed: seeds[id]! &+ UInt64(life) &* 0x9E37_79B9_7F4A_7C15,
                journal: journal,
                start: configuration.start,
                logger: logger,
                changes: changes
            )
        }
        let target = ExerciseFaultTarget(host: host, crew: crew, networks: networks, clock: clock)
        let faults = FaultDriver(
            faults: configuration.faults,
            timeScale: configuration.timeScale,
            target: target,
            logger: logger,
            progress: progress
        )
        let injects = InjectDriver(
            script: configuration.script,
            start: configuration.start,
            clock: clock,
            crew: crew,
            host: host,
            logger: logger,
            progress: progress
        )
        let started = ContinuousClock.now
        // The series runs from the start of the traffic, like the fault timeline.
        let trafficStart = Locked<ContinuousClock.Instant?>(nil)
        let series = Locked<[ExerciseReport.Second]>([])
        var trafficSeconds = configuration.durationSeconds
        var onlineAtEnd: Set<NodeID> = []
        await crew.start()
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                var last = RouterStatistics()
                while !Task.isCancelled {
                    do { try await Task.sleep(for: .seconds(1)) } catch { return }
                    let now = await host.statistics()
                    if let start = trafficStart.withLock({ $0 }) {
                        var row = ExerciseReport.Second(
                            second: Int(Self.seconds(ContinuousClock.now - start).rounded()),
                            wallClock: Date(),
                            simulatedTime: clock.now,
                            now: now,
                            previous: last
                        )
                        row.routerLatencyMicroseconds = await host.takeIntervalLatency()
                        series.withLock { $0.append(row) }
                        if let live {
                            var report = Self.report(
                                audit: audit,
                                statistics: now,
                                records: await crew.snapshot(),
                                configuration: configuration,
                                realSeconds: Self.seconds(ContinuousClock.now - start),
                                onlineAtEnd: now.onlineNodes,
                                clock: clock,
                                faults: [],
                                recoveries: await host.recoveries
                            )
                            report.series = series.withLock { $0 }
                            live(report)
                        }
                    }
                    progress(
                        Self.progressLine(
                            now,
                            previous: last,
                            clock: clock,
                            elapsed: ContinuousClock.now - started,
                            nodes: configuration.nodes.count
                        )
                    )
                    last = now
                }
            }
            // Nodes whose behaviour keeps them offline at the start are not waited for. A node counts once it has
            // read its WELCOME, not when the router has sent it: on a busy machine a node can be online at the
            // router and still be reading, and a fault planned for it would then strike before its first connection.
            let present = configuration.nodes.filter { node in
                !configuration.behaviour(of: node).offline.contains { $0.contains(0) }
            }
            await crew.waitForFirstWelcome(present, seconds: 30)
            clock.begin()
            let trafficBegan = ContinuousClock.now
            trafficStart.withLock { $0 = trafficBegan }
            trafficStarted()
            let playing = Task { await faults.play(from: trafficBegan) }
            let scripted = Task { await injects.play() }
            await Self.wait(seconds: configuration.durationSeconds, or: stop)
            trafficSeconds = Self.seconds(ContinuousClock.now - trafficBegan)
            scripted.cancel()
            await scripted.value
            await crew.stopTraffic()
            // Faults still under way end now if the traffic was stopped early; otherwise they end on time.
            if trafficSeconds < configuration.durationSeconds { playing.cancel() }
            await playing.value
            await Self.drain(
                host: host,
                crew: crew,
                nodes: configuration.nodes,
                seconds: configuration.drainSeconds,
                changes: changes
            )
            onlineAtEnd = await host.statistics().onlineNodes
            group.cancelAll()
        }
        let played = await faults.finish()
        await crew.end()
        try await host.stop()
        let records = await crew.snapshot()
        var report = Self.report(
            audit: audit,
            statistics: await host.statistics(),
            records: records,
            configuration: configuration,
            realSeconds: trafficSeconds,
            onlineAtEnd: onlineAtEnd,
            clock: clock,
            faults: played,
            recoveries: await host.recoveries
        )
        report.series = series.withLock { $0 }
        if !configuration.script.isEmpty, let folder {
            // Scored from the audit log as written, as `eixm audit score` scores it later.
            let audit = folder.appendingPathComponent("audit")
            report.script = try ScriptScorer(
                script: configuration.script,
                scenario: configuration.name,
                start: configuration.start
            ).score { body in _ = try AuditReader.forEach(directory: audit) { body($0) } }
        }
        return (report, audit.events, records)
    }

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
    /// at the nodes) or the drain time is up: it looks again each time the router or a node says something changed.
    private static func drain(
        host: RouterHost,
        crew: ExerciseCrew,
        nodes: [NodeID],
        seconds: Double,
        changes: ChangeSignal
    ) async {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while true {
            let version = changes.version
            let queues = await host.router?.backlog(of: nodes).waiting ?? 0
            if queues == 0, await crew.unacknowledged() == 0 { return }
            guard await changes.wait(after: version, until: deadline) else { return }
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
            format:
                "[%5.1fs] sim %@ | online %d/%d | accepted %d (+%d/s) rejected %d (+%d/s) delivered %d (+%d/s) | queued %d | latency p50 %@ µs p99 %@ µs",
            seconds(elapsed),
            clock.now.rfc3339,
            now.onlineNodes.count,
            nodes,
            now.accepted,
            now.accepted - previous.accepted,
            now.rejected,
            now.rejected - previous.rejected,
            now.delivered,
            now.delivered - previous.delivered,
            queue,
            p50,
            p99
        )
    }

    private static func report(
        audit: InMemoryAuditLog,
        statistics: RouterStatistics,
        records: [NodeID: NodeStatistics],
        configuration: ExerciseConfiguration,
        realSeconds: Double,
        onlineAtEnd: Set<NodeID>,
        clock: ScaledClock,
        faults: [FaultDriver.Played],
        recoveries: [String]
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
        for event in audit.events where event.kind == .delivered || event.kind == .queued {
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
                offlineAtEnd: configuration.nodes.filter {
                    !onlineAtEnd.contains($0) && statistics.connectedNodes.contains($0)
                }.map(\.rawValue)
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
                actedOnTwice: records.values.reduce(0) {
                    $0 + $1.actedOnTimes.count - Set($1.actedOnTimes.map(\.message)).count
                },
                keptForAbsentNodes: forAbsentNodes
            ),
            deadlines: .init(
                met: statistics.deadlinesMet,
                breached: statistics.deadlinesBreached,
                open: statistics.deadlinesOpen,
                extended: statistics.deadlinesExtended
            ),
            acceptedPerSecond: Double(statistics.accepted) / max(realSeconds, 0.001),
            deliveredPerSecond: Double(statistics.delivered) / max(realSeconds, 0.001),
            routerLatencyMicroseconds: statistics.latencyMicroseconds,
            refusedConnections: statistics.refusedConnections,
            perNode: perNode,
            faults: faults.map { delays(of: $0, records: records, timeScale: configuration.timeScale) },
            routerRestarts: recoveries,
            trafficMatrix: records.reduce(into: [:]) { matrix, entry in
                for header in entry.value.acceptedHeaders {
                    for recipient in header.recipients {
                        matrix[entry.key.rawValue, default: [:]][recipient.rawValue, default: 0] += 1
                    }
                }
            }
        )
    }

    /// The fault's outcome with the messages it delayed, from the nodes' own record of when each message they acted
    /// on was created and acted on.
    private static func delays(
        of played: FaultDriver.Played,
        records: [NodeID: NodeStatistics],
        timeScale: Double
    ) -> FaultOutcome {
        var outcome = played.outcome
        let recipients = played.struck
        let (start, end) = (played.simulatedStart, played.simulatedEnd)
        // A slow link delays by its read delay; anything slower than that while it lasted counts.
        let slowBy = played.fault.readDelayMilliseconds.map { Int64(Double($0) * timeScale) }
        var count = 0
        var longest: Int64 = 0
        for node in recipients {
            for time in records[node]?.actedOnTimes ?? [] where time.created < end {
                let delay = time.actedOn.millisecondsSinceEpoch - time.created.millisecondsSinceEpoch
                let delayed = slowBy.map { time.actedOn > start && delay > $0 } ?? (time.actedOn > end)
                guard delayed else { continue }
                count += 1
                longest = max(longest, delay)
            }
        }
        outcome.messagesDelayed = count
        outcome.longestDelayMinutes = count > 0 ? Double(longest) / 60_000 : nil
        return outcome
    }
}
