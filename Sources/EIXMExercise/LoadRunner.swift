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
import Histogram
import Logging

/// Runs a load test: every node of the configuration connects over mutual TLS (to a router started here on
/// 127.0.0.1, or to one already running), the senders offer the configured rate on a fixed schedule drawn from
/// their traffic mix, recipients verify and acknowledge what they receive, and the recorder measures latencies from
/// the intended send times. Nodes do not answer requests: the load is the router's, not the exercise's.
public struct LoadRunner: Sendable {
    public let configuration: LoadConfiguration
    public let logger: Logger

    /// The router under load.
    public enum Target: Sendable {
        /// A router started in this process, writing its audit log (`audit/`) and spool (`spool/`) to the folder if one
        /// is given.
        case inProcess(folder: URL?)
        /// A router already running (e.g. `eixm router`) that trusts the PKI's certificates.
        case external(host: String, port: Int)

        /// The folder of a router started here.
        var folder: URL? {
            if case .inProcess(let folder) = self { folder } else { nil }
        }
    }

    public init(configuration: LoadConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Runs the load and returns the report. `pki` defaults to an ephemeral PKI (an external router must trust
    /// it); `stop` ends the traffic early; `started` is called once the traffic starts; `progress` gets a line every
    /// second; `live`, when given, the report as it stands each second (for the live view; faults under way are not
    /// in it).
    public func run(
        pki: ExercisePKI? = nil,
        target: Target = .inProcess(folder: nil),
        stop: AsyncStream<Void>? = nil,
        started: @escaping @Sendable () -> Void = {},
        live: (@Sendable (LoadReport) -> Void)? = nil,
        progress: @escaping @Sendable (String) -> Void = { _ in }
    ) async throws -> LoadReport {
        let exercise = configuration.exercise
        let pki = try pki ?? ExercisePKI.generate(nodes: exercise.nodes, router: exercise.router.identity)
        let keys = try pki.keyDirectory()
        // A router crash needs a folder to start again from.
        let state = StateFolder(given: target.folder, faults: configuration.faults, crashing: [.routerCrash])
        defer { state.removeIfTemporary() }
        let recorder = LoadRecorder(localNodes: configuration.shard.map { Self.nodes(of: $0, in: exercise.nodes) })
        let local = try await startRouter(
            pki: pki,
            keys: keys,
            target: target,
            folder: state.url,
            changes: recorder.changes
        )
        let address: (host: String, port: Int) =
            switch target {
            case .inProcess: ("127.0.0.1", await local?.port ?? 0)
            case .external(let host, let port): (host, port)
            }
        let timeline = LoadTimeline()
        let signal = StartSignal()
        let failures = ConnectFailures(logger: logger)
        // Messages carry the router's simulated time: real time for a router started here, the configuration's scale
        // for one already running.
        let nodes = try makeNodes(
            pki: pki,
            keys: keys,
            address: address,
            timeline: timeline,
            recorder: recorder,
            signal: signal,
            failures: failures
        )
        let faults = FaultDriver(
            faults: configuration.faults,
            timeScale: 1,
            target: LoadFaultTarget(host: local, nodes: nodes, changes: recorder.changes),
            logger: logger,
            progress: progress
        )
        var series: [LoadReport.Second] = []
        var measuredSeconds = 0.0
        var secondsToConnect = 0.0
        // Connected when the traffic started (a node may connect later: it then joins the traffic).
        var connectedAtStart = 0
        var sessions: [RouterSession.Statistics] = []
        await withTaskGroup(of: Void.self) { group in
            for node in nodes {
                group.addTask { await node.run() }
            }
            // Everyone connected (or ten seconds passed, more for a large run): the traffic starts for all at once.
            let connecting = ContinuousClock.now
            await Self.first(
                of: { await signal.waitForConnections(nodes.count) },
                { try? await Task.sleep(for: .seconds(max(10, Double(nodes.count) / 500))) }
            )
            secondsToConnect = ExerciseRunner.seconds(ContinuousClock.now - connecting)
            connectedAtStart = signal.connectedCount
            let begin = ContinuousClock.now + .milliseconds(100)
            let end = begin + .seconds(configuration.durationSeconds)
            let measureFrom = begin + .seconds(min(configuration.warmupSeconds, configuration.durationSeconds))
            recorder.measure(timeline.nanoseconds(measureFrom)..<timeline.nanoseconds(end))
            signal.fire(begin..<end)
            started()
            let playing = Task { await faults.play(from: begin) }
            progress(
                "load: \(connectedAtStart)/\(nodes.count) nodes connected to \(address.host):\(address.port) in \(String(format: "%.1f", secondsToConnect)) s; offering \(Int(Self.offered(by: nodes).rounded())) msgs/s for \(configuration.durationSeconds) s"
            )
            let offered = Self.offered(by: nodes)
            let connectedIn = secondsToConnect
            let connectedFirst = connectedAtStart
            let ticker = Task {
                var rows: [LoadReport.Second] = []
                while !Task.isCancelled {
                    do { try await Task.sleep(until: begin + .seconds(rows.count + 1)) } catch { break }
                    let (figures, inFlight) = recorder.takeSecond()
                    var row = Self.row(rows.count + 1, figures, inFlight: inFlight)
                    if let router = await local?.statistics() {
                        row.waiting = router.queueDepths.values.reduce(0, +)
                        row.offlineQueues = router.queueDepths.reduce(into: [:]) { out, entry in
                            if !router.onlineNodes.contains(entry.key), entry.value > 0 {
                                out[entry.key.rawValue] = entry.value
                            }
                        }
                    }
                    rows.append(row)
                    progress(Self.progressLine(rows[rows.count - 1], offered: offered))
                    if let live {
                        live(
                            report(
                                recorder: recorder,
                                routerSide: await local?.statistics(),
                                address: address,
                                connected: connectedFirst,
                                nodes: nodes,
                                sessions: nodes.map(\.session.statistics),
                                secondsToConnect: connectedIn,
                                series: rows,
                                measuredSeconds: max(0, ExerciseRunner.seconds(ContinuousClock.now - measureFrom)),
                                faults: []
                            )
                        )
                    }
                }
                // The last, partial second.
                let (figures, inFlight) = recorder.takeSecond()
                if figures.sent + figures.answered + figures.delivered > 0 {
                    rows.append(Self.row(rows.count + 1, figures, inFlight: inFlight))
                }
                return rows
            }
            await Self.first(
                of: { try? await Task.sleep(until: end) },
                {
                    guard let stop else { return await Self.never() }
                    var signals = stop.makeAsyncIterator()
                    _ = await signals.next()
                }
            )
            signal.stop()
            measuredSeconds = max(0, ExerciseRunner.seconds(min(ContinuousClock.now, end) - measureFrom))
            // Faults still under way end now if the traffic was stopped early; otherwise they end on time.
            if ContinuousClock.now < end { playing.cancel() }
            await playing.value
            await drain(recorder: recorder, router: await local?.router, timeline: timeline)
            // Connected at the end: before the sessions are ended.
            sessions = nodes.map(\.session.statistics)
            ticker.cancel()
            series = await ticker.value
            group.cancelAll()
        }
        let played = await faults.finish()
        let routerSide = await local?.statistics()
        try await local?.stop()
        if let file = configuration.latencyDistributionFile {
            let text = LoadReport.distribution(of: recorder.measured.answerLatency)
            do {
                try Data(text.utf8).write(to: file)
            } catch {
                throw RunFolderError(
                    path: file.path,
                    "cannot write the latency distribution: \(error.localizedDescription)"
                )
            }
        }
        return report(
            recorder: recorder,
            routerSide: routerSide,
            address: address,
            connected: connectedAtStart,
            nodes: nodes,
            sessions: sessions,
            secondsToConnect: secondsToConnect,
            series: series,
            measuredSeconds: measuredSeconds,
            faults: played.map(\.outcome),
            failures: failures
        )
    }

    private func startRouter(
        pki: ExercisePKI,
        keys: KeyDirectory,
        target: Target,
        folder: URL?,
        changes: ChangeSignal
    ) async throws -> RouterHost? {
        guard case .inProcess = target else { return nil }
        let exercise = configuration.exercise
        let host = RouterHost(
            configuration: exercise,
            pki: pki,
            keys: keys,
            // Real time: a load runs at the speed of the clock on the wall.
            clock: ScaledClock(start: exercise.start, scale: 1),
            folder: folder,
            memory: nil,
            logger: logger,
            changes: changes
        )
        try await host.start()
        return host
    }

    /// The messages per second these nodes offer together: the whole rate, or a shard's share of it.
    static func offered(by nodes: [LoadNode]) -> Double {
        nodes.compactMap(\.interval).reduce(0) { $0 + 1 / ExerciseRunner.seconds($1) }
    }

    /// The nodes a shard runs.
    static func nodes(of shard: LoadShard, in nodes: [NodeID]) -> Set<NodeID> {
        Set(nodes.enumerated().filter { shard.includes(position: $0.offset) }.map(\.element))
    }

    /// One load node per configured node (of this shard); the offered rate is shared among the senders in proportion to their
    /// traffic mix's own rates.
    private func makeNodes(
        pki: ExercisePKI,
        keys: KeyDirectory,
        address: (host: String, port: Int),
        timeline: LoadTimeline,
        recorder: LoadRecorder,
        signal: StartSignal,
        failures: ConnectFailures
    ) throws -> [LoadNode] {
        let exercise = configuration.exercise
        var seeds = SeededGenerator(seed: exercise.seed)
        let peers = TrafficMix.Peers(exercise.nodes, rules: exercise.rules)
        let mixes = exercise.nodes.map {
            TrafficMix(
                node: $0,
                behaviour: exercise.behaviour(of: $0),
                rules: exercise.rules,
                peers: peers,
                seed: seeds.next()
            )
        }
        let total = mixes.reduce(0) { $0 + $1.ratePerHour }
        // Only the nodes a fault strikes read through a network that can be cut: the others pay nothing for it.
        let struck = Set(configuration.faults.flatMap(\.nodes))
        // Each node's seed as in a single process, then only this shard's nodes.
        let nodeSeeds = mixes.map { _ in seeds.next() }
        let shard = configuration.shard
        return try zip(mixes, nodeSeeds).enumerated().filter { shard?.includes(position: $0.offset) ?? true }.map {
            let (mix, nodeSeed) = $0.element
            let rate = total > 0 ? configuration.rate * mix.ratePerHour / total : 0
            let client = try TLSClient(
                host: address.host,
                port: address.port,
                router: exercise.router.identity,
                credentials: TLSCredentials(identity: try pki.identity(for: mix.node), trustRoot: pki.caCertificate),
                idleTimeout: .milliseconds(Int64(exercise.router.heartbeatMilliseconds) * 5)
            )
            return LoadNode(
                identity: try pki.identity(for: mix.node),
                transport: struck.contains(mix.node) ? PartitionableClient(client) : client,
                keys: keys,
                recorder: recorder,
                start: signal,
                timeline: timeline,
                traffic: rate > 0 ? mix : nil,
                interval: rate > 0 ? .seconds(1 / rate) : nil,
                bodyBytes: configuration.bodyBytes,
                signatures: configuration.signatures,
                batchMaximum: configuration.batchMaximum,
                receiptDelay: configuration.receiptDelay,
                seed: nodeSeed,
                logger: logger,
                failures: failures
            )
        }
    }

    /// Waits until every message is answered and every delivery made (the router here has no queue left; a router
    /// elsewhere has sent nothing for half a second, or for two seconds when this process is one shard of several:
    /// the others may still be sending to its nodes, and a busy machine can hold one of them up that long), or the
    /// drain time is up: it looks again each time an answer or a delivery comes, a queue changes or a node connects
    /// or leaves, and, with a router elsewhere, when the quiet would be over.
    private func drain(recorder: LoadRecorder, router: Router?, timeline: LoadTimeline) async {
        let deadline = ContinuousClock.now + .seconds(configuration.drainSeconds)
        let quiet: UInt64 = configuration.shard == nil ? 500_000_000 : 2_000_000_000
        while true {
            let version = recorder.changes.version
            var wakeBy = deadline
            let settled: Bool
            if let router {
                settled = await router.waitingDeliveries() == 0
            } else {
                let now = timeline.now
                settled = now > recorder.lastDelivery + quiet
                if !settled {
                    wakeBy = min(
                        deadline,
                        ContinuousClock.now + .nanoseconds(Int64(recorder.lastDelivery + quiet - now))
                    )
                }
            }
            if recorder.inFlight == 0, settled { return }
            if await recorder.changes.wait(after: version, until: wakeBy) { continue }
            // No change: the quiet period ran out (look again), or the deadline passed, or the run was cancelled.
            if Task.isCancelled || ContinuousClock.now >= deadline { return }
        }
    }

    /// Runs both and returns when the first returns, cancelling the other.
    private static func first(
        of one: @escaping @Sendable () async -> Void,
        _ other: @escaping @Sendable () async -> Void
    ) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await one() }
            group.addTask { await other() }
            await group.next()
            group.cancelAll()
        }
    }

    /// Suspends until the task is cancelled.
    private static func never() async {
        let (stream, _) = AsyncStream<Void>.makeStream()
        for await _ in stream {}
    }

    private static func row(_ second: Int, _ figures: LoadRecorder.Figures, inFlight: Int) -> LoadReport.Second {
        LoadReport.Second(
            second: second,
            sent: figures.sent,
            accepted: figures.accepted,
            rejected: figures.rejected,
            delivered: figures.delivered,
            answerP50Milliseconds: Double(figures.answerLatency.valueAtPercentile(50)) / 1000,
            answerP99Milliseconds: Double(figures.answerLatency.valueAtPercentile(99)) / 1000,
            deliveryP99Milliseconds: Double(figures.deliveryLatency.valueAtPercentile(99)) / 1000,
            inFlight: inFlight,
            wallClock: Timestamp(Date()).rfc3339
        )
    }

    private static func progressLine(_ row: LoadReport.Second, offered: Double) -> String {
        String(
            format:
                "[%3ds] offered %.0f/s | sent %d | answered %d (rejected %d) | delivered %d | answer p50 %.2f ms p99 %.2f ms | delivery p99 %.2f ms | in flight %d",
            row.second,
            offered,
            row.sent,
            row.accepted + row.rejected,
            row.rejected,
            row.delivered,
            row.answerP50Milliseconds,
            row.answerP99Milliseconds,
            row.deliveryP99Milliseconds,
            row.inFlight
        )
    }

    private func report(
        recorder: LoadRecorder,
        routerSide statistics: RouterStatistics?,
        address: (host: String, port: Int),
        connected: Int,
        nodes: [LoadNode],
        sessions: [RouterSession.Statistics],
        secondsToConnect: Double,
        series: [LoadReport.Second],
        measuredSeconds: Double,
        faults: [FaultOutcome],
        failures: ConnectFailures? = nil
    ) -> LoadReport {
        let exercise = configuration.exercise
        // Said at the end only (`failures` given): while the run goes on, a node may still connect.
        let unreachable =
            failures != nil && !nodes.isEmpty && connected == 0 && !sessions.contains(where: \.connected)
            ? failures?.firstReason ?? "no node was welcomed" : nil
        let measured = recorder.measured
        let window = recorder.inWindow
        let seconds = max(measuredSeconds, 0.001)
        var routerSide: LoadReport.RouterSide?
        if let statistics {
            // Delivery frames sent; a delivery queued for an offline node counts once it is sent.
            let deliveries = statistics.delivered
            routerSide = LoadReport.RouterSide(
                received: statistics.received,
                accepted: statistics.accepted,
                rejected: statistics.rejected,
                deliveries: deliveries,
                acknowledged: statistics.acknowledged,
                latencyMicroseconds: statistics.latencyMicroseconds
            )
        }
        let lost = recorder.acceptedNotDelivered
        let thresholds = LoadReport.judge(
            configuration.thresholds,
            answered: measured.answered,
            answerLatency: measured.answerLatency,
            answeredShare: Double(window.answered) / seconds / max(Self.offered(by: nodes), 1e-9),
            missing: lost + recorder.inFlight + recorder.refusedAsDuplicate
        )
        let shardData = configuration.shard.map { shard in
            let (missing, received) = recorder.shardDeliveries
            return LoadReport.ShardData(
                shard: shard,
                answerLatency: measured.answerLatency,
                deliveryLatency: measured.deliveryLatency,
                sendLag: measured.sendLag,
                answeredInWindow: window.answered,
                deliveredInWindow: window.delivered,
                missing: LoadReport.ShardData.pairs(missing),
                received: LoadReport.ShardData.pairs(received)
            )
        }
        let recipientRoots = nodes.map(\.keys.verifiedRoots.statistics).reduce(into: VerifiedRoots.Statistics()) {
            $0.verifications += $1.verifications
            $0.hits += $1.hits
        }
        return LoadReport(
            name: exercise.name,
            seed: exercise.seed,
            mode: exercise.rules.mode.rawValue,
            router: statistics == nil
                ? "\(address.host):\(address.port)" : "in-process \(address.host):\(address.port)",
            nodes: .init(
                configured: nodes.count,
                connected: connected,
                connectedAtEnd: sessions.count(where: \.connected),
                senders: nodes.filter { $0.traffic != nil }.count,
                reconnects: sessions.reduce(0) { $0 + $1.reconnects },
                resent: sessions.reduce(0) { $0 + $1.resent },
                secondsWithoutRouter: sessions.reduce(0) { $0 + ExerciseRunner.seconds($1.timeWithoutRouter) },
                secondsToConnect: secondsToConnect,
                unreachable: unreachable
            ),
            offeredPerSecond: Self.offered(by: nodes),
            durationSeconds: configuration.durationSeconds,
            warmupSeconds: configuration.warmupSeconds,
            measuredSeconds: measuredSeconds,
            bodyBytes: configuration.bodyBytes,
            signatures: .init(
                mode: configuration.signatures.rawValue,
                batchMaximum: configuration.batchMaximum,
                routerRootVerifications: statistics?.batchRootVerifications,
                routerReceiptRootVerifications: statistics?.receiptRootVerifications,
                routerReceiptsChecked: statistics.map { $0.receiptRootVerifications + $0.receiptRootHits },
                routerDeliveryWrites: statistics?.deliveryWrites,
                recipientRootVerifications: recipientRoots.verifications,
                recipientRootHits: recipientRoots.hits
            ),
            measured: .init(
                sent: measured.sent,
                accepted: measured.accepted,
                rejected: measured.rejected,
                delivered: measured.delivered
            ),
            rejectionsByRule: measured.rejectionsByRule,
            answeredPerSecond: Double(window.answered) / seconds,
            deliveredPerSecond: Double(window.delivered) / seconds,
            sienaMultiple: Double(measured.accepted) / seconds * 3600 / 200,
            answerLatencyMicroseconds: measured.answerLatency.summary,
            deliveryLatencyMicroseconds: measured.deliveryLatency.summary,
            sendLagMicroseconds: measured.sendLag.summary,
            routerSide: routerSide,
            deliveriesReceived: recorder.deliveriesReceived,
            duplicateDeliveries: measured.duplicates,
            unanswered: recorder.inFlight,
            lost: lost,
            refusedAsDuplicate: recorder.refusedAsDuplicate,
            unsealable: recorder.unsealableCount,
            limits: configuration.thresholds,
            thresholds: thresholds,
            passed: thresholds.allSatisfy(\.passed) && unreachable == nil,
            series: series,
            faults: faults,
            shardData: shardData,
            trafficMatrix: recorder.trafficMatrix
        )
    }
}
