import EIXMAudit
import EIXMCrypto
import EIXMModel
import EIXMRouter
import EIXMRules
import EIXMSpool
import EIXMTransportNIO
import Foundation
import Logging

/// The router run inside an exercise or a load run, on 127.0.0.1 over mutual TLS, with its audit log and spool in a
/// folder (or neither), so that it can crash on purpose and start again from that folder on the same port.
///
/// A crash is not a stop: the listening socket and every connection are dropped, the audit log and the spool stop
/// where they are (what they had not written is gone, no final checkpoint), and the router's memory is dropped with
/// them. Starting again opens the folder as `eixm router` would after a SIGKILL: torn tails cut and recorded, the
/// spool's accepted and undelivered messages, duplicate window, case context and deadlines rebuilt.
actor RouterHost {
    /// One life of the router, from a start to a crash or the end of the run.
    private struct Life {
        let router: Router
        let server: TLSServer
        let fileLog: FileAuditLog?
        let spool: Spool?
        let serving: Task<Void, Never>
    }

    private let configuration: ExerciseConfiguration
    private var pki: ExercisePKI
    /// Checks every peer's certificate at the handshake, with the PKI's revocation list: a script's revocation
    /// replaces the list (and closes the connection it revokes) for this life and the next.
    private let gate: CertificateGate
    private let keys: KeyDirectory
    private let clock: ScaledClock
    /// Holds `audit/` and `spool/`; `nil`: no durable storage (and a crash loses everything).
    private let folder: URL?
    /// Also receives every event of every life (the exercise report reads it).
    private let memory: (any AuditSink)?
    private let logger: Logger
    /// Given to the router of every life: told when a queue changes or a node connects or leaves.
    nonisolated let changes: ChangeSignal
    private var life: Life?
    /// The counts of the lives before this one.
    private var earlier: RouterStatistics?
    /// What each restart recovered, in order.
    private(set) var recoveries: [String] = []
    private(set) var port = 0
    /// The policy mode set by the script so far: every later life keeps it.
    private var mode: PolicyMode?

    init(
        configuration: ExerciseConfiguration,
        pki: ExercisePKI,
        keys: KeyDirectory,
        clock: ScaledClock,
        folder: URL?,
        memory: (any AuditSink)?,
        logger: Logger,
        changes: ChangeSignal = ChangeSignal()
    ) {
        self.changes = changes
        self.configuration = configuration
        self.pki = pki
        gate = CertificateGate(
            trustRoot: pki.caCertificate,
            router: configuration.router.identity,
            revocations: pki.revocationList
        )
        self.keys = keys
        self.clock = clock
        self.folder = folder
        self.memory = memory
        self.logger = logger
    }

    /// The router of the current life.
    var router: Router? { life?.router }

    /// Starts a life: opens (and recovers) the folder, binds the port (any free one the first time, the same one
    /// after a crash) and serves.
    func start() async throws {
        // Already running (a fault's restart after the run's own start): nothing to do.
        guard life == nil else { return }
        let identity = try pki.identity(for: configuration.router.identity)
        var notes: [String] = []
        let fileLog = try folder.map { folder in
            try pki.writeCertificates(
                of: Array(pki.certificates.keys),
                to: folder.appendingPathComponent("certificates")
            )
            return try FileAuditLog(
                directory: folder.appendingPathComponent("audit"),
                signer: AuditSigner(signer: identity.nodeID.rawValue, key: identity.privateKey),
                configuration: AuditLogConfiguration(treeHeadFile: folder.appendingPathComponent("tree-head.json"))
            )
        }
        if let recovery = fileLog?.recovery { notes.append("audit log: \(recovery)") }
        let opened = try folder.map { folder in
            try Spool.open(
                directory: folder.appendingPathComponent("spool"),
                configuration: SpoolConfiguration(retainMessages: configuration.router.contextMessages)
            )
        }
        let sinks: [any AuditSink] = [memory, fileLog].compactMap { $0 }
        let audit: any AuditSink =
            switch sinks.count {
            case 0: CountingAuditSink()
            case 1: sinks[0]
            default: TeeAuditSink(sinks)
            }
        var rules = configuration.rules
        if let mode { rules.mode = mode }
        let router = Router(
            configuration: configuration.router,
            rules: RulesEngine(configuration: rules),
            keys: keys,
            clock: clock,
            audit: audit,
            spool: opened?.spool,
            logger: logger,
            changes: changes
        )
        if let (spool, recovery) = opened {
            let inDoubt = try fileLog.map { try CommitInDoubt(spool: spool, recovery: recovery, auditLog: $0) }
            if !recovery.isEmpty || inDoubt?.isEmpty == false {
                notes.append("spool: \(await router.recover(recovery, inDoubt: inDoubt ?? CommitInDoubt()))")
            }
        }
        let server = try await TLSServer.bind(
            host: "127.0.0.1",
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
        port = server.port
        let serving = Task { _ = try? await server.serve { connection in await router.serve(connection) } }
        life = Life(router: router, server: server, fileLog: fileLog, spool: opened?.spool, serving: serving)
        if earlier != nil { recoveries.append(notes.isEmpty ? "nothing to recover" : notes.joined(separator: "; ")) }
    }

    /// Crashes the router: its connections and socket are dropped and its storage stops where it is. Returns once
    /// nothing of this life writes or answers any more.
    func crash() async {
        guard let life else { return }
        self.life = nil
        let statistics = await life.router.snapshot()
        earlier = earlier.map { statistics.following($0) } ?? statistics
        earlier?.onlineNodes = []
        life.serving.cancel()
        life.spool?.halt()
        life.fileLog?.halt()
        await life.serving.value
        logger.notice("router crashed on purpose")
    }

    /// Revokes a node's certificate (a scripted inject) as the CA would: a new revocation list in force at the
    /// handshake, the node's open connection closed and audited (REVOKED), for this life and the next.
    func revoke(_ node: NodeID) throws {
        try pki.revoke(node, reason: .keyCompromise)
        gate.replaceRevocations(pki.revocationList)
        let closed = life?.server.closeRevoked() ?? 0
        logger.notice("certificate revoked", metadata: ["node.id": "\(node)", "closed": "\(closed)"])
    }

    /// Changes the policy mode (a scripted inject), for this life and the next.
    func change(mode: PolicyMode) async {
        self.mode = mode
        await life?.router.change(mode: mode)
    }

    /// The router's latency percentiles since the last call (none while it is down).
    func takeIntervalLatency() async -> [String: Double] { await life?.router.takeIntervalLatency() ?? [:] }

    /// The counts over every life so far.
    func statistics() async -> RouterStatistics {
        guard let router = life?.router else { return earlier ?? RouterStatistics() }
        let now = await router.snapshot()
        return earlier.map { now.following($0) } ?? now
    }

    /// Ends the run cleanly: stops serving, stores and answers what was decided, counts the deadlines, closes the
    /// logs (throwing the audit log's first write error).
    func stop() async throws {
        guard let life else { return }
        life.serving.cancel()
        await life.serving.value
        await life.router.flushed()
        await life.router.sweepDeadlines()
        earlier = await statistics()
        self.life = nil
        await life.spool?.close()
        try await life.fileLog?.close()
    }
}
