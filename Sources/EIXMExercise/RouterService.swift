import EIXMAudit
import EIXMCrypto
import EIXMModel
import EIXMRouter
import EIXMRules
import EIXMSpool
import EIXMTransportNIO
import Foundation
import Logging

/// The router as a process of its own (`eixm router`): listens on an address over mutual TLS until stopped,
/// logging a throughput line every few seconds, then reports.
///
/// Its folder holds the audit log (`audit/`) with its latest signed tree head (`tree-head.json`), the router's and
/// CA's certificates (`certificates/`), the spool (`spool/`) and the run's clock (`clock.json`). Started again
/// on the same folder (after a crash or a stop) it recovers: the spool's torn tail is cut, what it had accepted and
/// not delivered is delivered, and its simulated time goes on from the run's start, the downtime included.
public struct RouterService: Sendable {
    public let configuration: ExerciseConfiguration
    public let logger: Logger

    public init(configuration: ExerciseConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Runs until `stop` yields; `listening` receives the bound port; every `interval` seconds a `throughput` record
    /// goes to the logger (notice); `progress` receives what a revocation reload did.
    /// Peer certificates are judged at the handshake against the PKI and its revocation list; each time `reload`
    /// yields (SIGHUP) the list is read again from `pkiFolder` and open connections it now revokes are closed.
    public func run(
        pki: ExercisePKI,
        pkiFolder: URL? = nil,
        reload: AsyncStream<Void> = AsyncStream { $0.finish() },
        host: String,
        port: Int,
        folder: URL,
        repair: Bool = false,
        stop: AsyncStream<Void>,
        interval: Double = 2,
        recovered: @Sendable (String) -> Void = { _ in },
        listening: @Sendable (Int) -> Void,
        progress: @escaping @Sendable (String) -> Void
    ) async throws -> RouterStatistics {
        let clock = try RunClock.load(from: folder, start: configuration.start, scale: configuration.timeScale)
        let identity = try pki.identity(for: configuration.router.identity)
        try pki.writeCertificates(of: Array(pki.certificates.keys), to: folder.appendingPathComponent("certificates"))
        let audit = try FileAuditLog(
            directory: folder.appendingPathComponent("audit"),
            signer: AuditSigner(signer: identity.nodeID.rawValue, key: identity.privateKey),
            configuration: AuditLogConfiguration(treeHeadFile: folder.appendingPathComponent("tree-head.json"))
        )
        if let recovery = audit.recovery {
            logger.warning("audit log recovered", metadata: ["recovery": "\(recovery)"])
            recovered("audit log: \(recovery)")
        }
        let (spool, spoolRecovery) = try Spool.open(
            directory: folder.appendingPathComponent("spool"),
            configuration: SpoolConfiguration(retainMessages: configuration.router.contextMessages),
            repair: repair
        )
        let router = Router(
            configuration: configuration.router,
            rules: RulesEngine(configuration: configuration.rules),
            keys: try pki.keyDirectory(),
            clock: clock,
            audit: audit,
            spool: spool,
            logger: logger
        )
        let inDoubt = try CommitInDoubt(spool: spool, recovery: spoolRecovery, auditLog: audit)
        if !spoolRecovery.isEmpty || !inDoubt.isEmpty {
            recovered("spool: " + "\(await router.recover(spoolRecovery, inDoubt: inDoubt))")
        }
        let gate = CertificateGate(
            trustRoot: pki.caCertificate,
            router: identity.nodeID,
            revocations: pki.revocationList
        )
        let server = try await TLSServer.bind(
            host: host,
            port: port,
            credentials: TLSCredentials(identity: identity, trustRoot: pki.caCertificate),
            gate: gate,
            idleTimeout: .milliseconds(Int64(configuration.router.heartbeatMilliseconds) * 5),
            limits: configuration.router.connectionLimits,
            logger: logger,
            certificateRefused: { refusal, address in
                Task { await router.refuseCertificate(refusal, address: address) }
            }
        )
        listening(server.port)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await server.serve { await router.serve($0) } }
            if let pkiFolder {
                group.addTask {
                    for await _ in reload {
                        progress(Self.reloadRevocations(from: pkiFolder, pki: pki, gate: gate, server: server))
                    }
                }
            }
            group.addTask {
                var previous = RouterStatistics()
                var memory = MemoryRelease()
                while !Task.isCancelled {
                    do { try await Task.sleep(for: .seconds(interval)) } catch { return }
                    _ = memory.observe(openConnections: server.openConnections)
                    let now = await router.snapshot()
                    logger.notice(
                        "throughput",
                        metadata: Self.throughput(now, previous: previous, interval: interval, clock: clock)
                    )
                    previous = now
                }
            }
            var signals = stop.makeAsyncIterator()
            _ = await signals.next()
            group.cancelAll()
        }
        // What was decided is stored and answered before the logs close.
        await router.flushed()
        await router.sweepDeadlines()
        var statistics = await router.snapshot()
        statistics.closedByLimits = server.refusals
        await spool.close()
        try await audit.close()
        return statistics
    }

    /// Reads the PKI folder's revocation list again into `gate` and closes the open connections it revokes; says
    /// what it did. A list that cannot be read leaves the one in force.
    public static func reloadRevocations(
        from folder: URL,
        pki: ExercisePKI,
        gate: CertificateGate,
        server: TLSServer
    ) -> String {
        do {
            let list = try ExercisePKI.loadRevocationList(from: folder, ca: pki.caCertificate)
            gate.replaceRevocations(list)
            let closed = server.closeRevoked()
            return
                "revocation list reloaded: \(list?.entries.count ?? 0) certificate(s) revoked (list number \(list?.number ?? 0)); \(closed) open connection(s) closed"
        } catch {
            return "revocation list not reloaded, the one in force stays: \(error)"
        }
    }

    /// The periodic throughput record's fields: simulated time, nodes online, rates over the interval, the three
    /// deepest queues and the router's latency percentiles.
    static func throughput(
        _ now: RouterStatistics,
        previous: RouterStatistics,
        interval: Double,
        clock: ScaledClock
    ) -> Logger.Metadata {
        let rate = { (a: Int, b: Int) -> Logger.MetadataValue in
            .string(String(format: "%.1f", Double(a - b) / interval))
        }
        let depths = now.queueDepths.sorted { $0.value > $1.value }.prefix(3).map { "\($0.key) \($0.value)" }
        return [
            "sim.time": "\(clock.now.rfc3339)",
            "nodes.online": "\(now.onlineNodes.count)",
            "accepted.per_second": rate(now.accepted, previous.accepted),
            "rejected.per_second": rate(now.rejected, previous.rejected),
            "delivered.per_second": rate(now.delivered, previous.delivered),
            "queues.deepest": .array(depths.map { .string($0) }),
            "latency.p50_us": "\(Int(now.latencyMicroseconds["p50"] ?? 0))",
            "latency.p99_us": "\(Int(now.latencyMicroseconds["p99"] ?? 0))",
        ]
    }
}

extension RouterStatistics {
    /// The router's own report, for `eixm router` at shutdown.
    public var text: String {
        func table(_ counts: [String: Int]) -> String {
            counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                .map { "    \($0.key.padding(toLength: 28, withPad: " ", startingAt: 0)) \($0.value)" }.joined(
                    separator: "\n"
                )
        }
        var lines: [String] = []
        lines.append(
            "Router report: \(connectedNodes.count) node(s) connected: \(connectedNodes.map(\.rawValue).sorted().joined(separator: ", "))"
        )
        lines.append(
            "Messages: \(received) received, \(accepted) accepted, \(rejected) rejected; \(delivered) deliveries sent (sent again after a reconnect included; \(queued) queued first for an offline node; \(copies) copies by rule), \(acknowledged) acknowledged, \(queueDepths.values.reduce(0, +)) waiting"
        )
        lines.append("Accepted by channel and type:\n" + table(acceptedByChannelAndType))
        lines.append("Rejections by rule:\n" + (rejectionsByRule.isEmpty ? "    none" : table(rejectionsByRule)))
        let classes = Set(deadlinesMet.keys).union(deadlinesBreached.keys).union(deadlinesOpen.keys).sorted()
        lines.append("Deadlines (met / breached / still open):")
        for rule in classes {
            lines.append(
                "    \(rule)  \(deadlinesMet[rule] ?? 0) / \(deadlinesBreached[rule] ?? 0) / \(deadlinesOpen[rule] ?? 0)"
            )
        }
        let latency = ["p50", "p90", "p99", "max"].compactMap { key in
            latencyMicroseconds[key].map { "\(key) \(Int($0)) µs" }
        }
        lines.append("Router latency: " + (latency.isEmpty ? "no messages" : latency.joined(separator: ", ")))
        let parts = [
            ("messages", batchRootVerifications, batchRootHits),
            ("receipts", receiptRootVerifications, receiptRootHits),
        ].compactMap { what, verified, hits -> String? in
            guard verified + hits > 0 else { return nil }
            let each = String(format: "%.2f", Double(verified) / Double(verified + hits))
            return "\(verified) roots verified for \(verified + hits) batch-signed \(what) (\(each) each)"
        }
        if !parts.isEmpty { lines.append("Batch signatures: " + parts.joined(separator: "; ")) }
        if deliveryWrites > 0 {
            lines.append(
                "Deliveries after a commit went out in \(deliveryWrites) writes (one per recipient per commit)"
            )
        }
        if refusedConnections > 0 { lines.append("Refused connections: \(refusedConnections)") }
        if !closedByLimits.isEmpty {
            lines.append(
                "Connections closed by limits: "
                    + closedByLimits.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            )
        }
        return lines.joined(separator: "\n")
    }
}
