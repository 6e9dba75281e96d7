import EIXMAudit
import EIXMCrypto
import EIXMModel
import EIXMRouter
import EIXMRules
import EIXMSpool
import EIXMTestKit
import EIXMTransport
import Foundation
import Logging
import Testing

/// A router on an in-process network with a manual clock and an in-memory audit log behind a storage gate, a PKI for
/// a few nodes, and optionally a spool in a folder.
struct RouterHarness {
    let pki: ExercisePKI
    let network = InProcessNetwork()
    let clock: ManualClock
    let audit = InMemoryAuditLog()
    /// Stands between the router and its audit log: holds or fails "stored" when a test says so.
    let storage: StorageGate
    let configuration: RouterConfiguration
    let spool: Spool?
    /// What opening the spool found, for the router to recover from.
    let spoolRecovery: Spool.Recovery?
    let router: Router

    init(
        configuration: RouterConfiguration = RouterConfiguration(),
        spoolDirectory: URL? = nil,
        pki: ExercisePKI? = nil,
        clock: ManualClock = ManualClock(),
        rules: RulesConfiguration = .builtIn()
    ) throws {
        let pki = try pki ?? ExercisePKI.generate(nodes: [.spoc(.be), .spoc(.fr), .spoc(.de), .europol])
        self.pki = pki
        self.clock = clock
        self.configuration = configuration
        storage = StorageGate(audit)
        let opened = try spoolDirectory.map {
            try Spool.open(directory: $0, configuration: SpoolConfiguration(segmentBytes: 4096, retainMessages: 100))
        }
        spool = opened?.spool
        spoolRecovery = opened?.recovery
        router = Router(
            configuration: configuration,
            rules: RulesEngine(configuration: rules),
            keys: try pki.keyDirectory(),
            clock: clock,
            audit: storage,
            spool: spool,
            logger: Logger(label: "test.router", factory: { _ in SwiftLogNoOpLogHandler() })
        )
    }

    /// A new router on the same spool folder, PKI and clock, as after a crash of this one (nothing closed or flushed
    /// beyond what was stored), with a fresh network and audit log; it has recovered from the spool.
    func restarted(spoolDirectory: URL) async throws -> RouterHarness {
        let next = try RouterHarness(
            configuration: configuration,
            spoolDirectory: spoolDirectory,
            pki: pki,
            clock: clock
        )
        if let recovery = next.spoolRecovery { _ = await next.router.recover(recovery) }
        return next
    }

    /// Runs `body` while the router serves the network.
    func running(_ body: () async throws -> Void) async throws {
        let router = self.router
        let server = network.server
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.serve { await router.serve($0) } }
            try await body()
            group.cancelAll()
        }
    }

    /// Runs `body` with a test connection open (HELLO / WELCOME done) for each of `nodes`.
    func withPeers(
        _ nodes: [NodeID],
        _ peers: [NodeID: TestPeer] = [:],
        _ body: ([NodeID: TestPeer]) async throws -> Void
    ) async throws {
        guard let node = nodes.first else { return try await body(peers) }
        try await network.client(as: node).connect { connection in
            var peers = peers
            peers[node] = try await TestPeer.open(connection, as: node)
            try await withPeers(Array(nodes.dropFirst()), peers, body)
        }
    }

    /// A request from Belgium to France that the rules accept.
    func request(_ index: UInt8, from sender: NodeID = .spoc(.be), to recipient: NodeID = .spoc(.fr)) -> Header {
        var header = SampleMessages.request()
        header.id = SampleMessages.id(index)
        header.sender = sender
        header.to = [recipient]
        header.language = .english
        header.copyToEuropol = false
        header.copyToEuropolReason = "not linked to Europol's projects"
        header.createdAt = clock.now
        return header
    }

    /// An answer of `type` from the requested side to `request`, created now.
    func answer(_ request: Header, type: MessageType, id index: UInt8) -> Header {
        var header = Header(
            answering: request,
            id: SampleMessages.id(index),
            from: request.to[0],
            type: type,
            createdAt: clock.now
        )
        header.handlingCodes = request.handlingCodes
        header.copyToEuropol = false
        header.copyToEuropolReason = "not linked to Europol's projects"
        return header
    }

    /// Sends `header` as `peer` and returns the router's answer to it (ACK or NACK), skipping deliveries.
    func verdict(on header: Header, from peer: inout TestPeer) async throws -> Frame.Acknowledgement.Kind? {
        try await peer.send(.message(envelope: try sealed(header)))
        while let frame = try await peer.nextMeaningful() {
            switch frame {
            case .ack(let ack) where ack.message == header.id: return ack.kind
            case .nack(let refusal) where refusal.message == header.id:
                Issue.record("refused: \(refusal.reasons)")
                return nil
            default: continue
            }
        }
        return nil
    }

    /// Sends `header` as `peer` and returns the router's answer to it (ACK or NACK), skipping deliveries.
    func frame(for header: Header, from peer: inout TestPeer) async throws -> Frame? {
        try await peer.send(.message(envelope: try sealed(header)))
        while let frame = try await peer.nextMeaningful() {
            switch frame {
            case .ack(let ack) where ack.message == header.id: return frame
            case .nack(let refusal) where refusal.message == header.id: return frame
            default: continue
            }
        }
        return nil
    }

    /// The RECEIPT `node` sends for a delivery: its own signature over the digests of what it was delivered.
    func receipt(_ delivery: Frame.Delivery, by node: NodeID) throws -> Frame {
        .receipt(try pki.identity(for: node).receipt(forDelivered: delivery.envelope))
    }

    func sealed(_ header: Header, by node: NodeID? = nil) throws -> [UInt8] {
        try pki.identity(for: node ?? header.sender).seal(header, body: Array("test body".utf8)).wireBytes()
    }
}

/// A node's side of a test connection: send frames, await the next one.
struct TestPeer {
    let connection: PeerConnection
    var frames: FrameInbound.AsyncIterator

    /// Connects as `node` and completes HELLO / WELCOME.
    static func open(_ connection: PeerConnection, as node: NodeID) async throws -> TestPeer {
        var peer = TestPeer(connection: connection, frames: connection.inbound.makeAsyncIterator())
        try await peer.send(.hello(node: node))
        guard case .welcome = try await peer.next() else { throw FrameError(.invalidValue, "no WELCOME") }
        return peer
    }

    func send(_ frame: Frame) async throws { try await connection.outbound.send([frame]) }

    mutating func next() async throws -> Frame? { try await frames.next() }

    /// The next frame that is not a heartbeat.
    mutating func nextMeaningful() async throws -> Frame? {
        while let frame = try await frames.next() {
            if case .heartbeat = frame { continue }
            return frame
        }
        return nil
    }

    /// Waits until the router has processed everything sent so far: it answers a heartbeat in order.
    mutating func sync() async throws -> [Frame] {
        try await send(.heartbeat)
        var seen: [Frame] = []
        while let frame = try await frames.next() {
            if case .heartbeat = frame { return seen }
            seen.append(frame)
        }
        return seen
    }
}

/// An audit sink in front of another that can hold its "stored" answers until released, or fail them.
final class StorageGate: AuditSink {
    private let inner: any AuditSink
    private let state = Locked<(holding: Bool, failure: String?, held: [@Sendable (StorageOutcome) -> Void])>(
        (false, nil, [])
    )

    init(_ inner: any AuditSink) { self.inner = inner }

    func append(_ events: [AuditEvent]) { inner.append(events) }

    func whenStored(_ done: @escaping @Sendable (StorageOutcome) -> Void) {
        let (hold, failure) = state.withLock { state -> (Bool, String?) in
            if state.holding, state.failure == nil { state.held.append(done) }
            return (state.holding, state.failure)
        }
        if let failure {
            done(.failed(failure))
        } else if !hold {
            inner.whenStored(done)
        }
    }

    /// From now on, "stored" waits for ``release()``.
    func hold() { state.withLock { $0.holding = true } }

    /// Stored: everything held so far, and from now on.
    func release() {
        let held = state.withLock { state in
            defer {
                state.holding = false
                state.held = []
            }
            return state.held
        }
        for done in held { inner.whenStored(done) }
    }

    /// From now on, storing fails with `reason`.
    func fail(_ reason: String) { state.withLock { $0.failure = reason } }

    /// From now on, storing works again.
    func heal() { state.withLock { $0.failure = nil } }
}
