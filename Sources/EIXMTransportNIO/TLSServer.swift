import EIXMCrypto
import EIXMModel
import EIXMTransport
import Logging
import NIOCore
import NIOPosix
import NIOSSL

/// The router's listening socket: TCP + TLS 1.3 with mutual authentication. Each peer certificate is judged in
/// the TLS verify callback by a ``CertificateGate`` (path to the exercise CA, not a CA, made for clients, a node ID
/// that is not the router's, not revoked) before any frame is read; a refusal is reported to `certificateRefused`
/// with the peer's address. Each connection's peer identity is the node ID bound in its certificate.
public final class TLSServer: ServerTransport {
    private let channel: NIOAsyncChannel<AcceptedConnection, Never>
    private let logger: Logger
    private let guardian: ConnectionGuard
    private let gate: CertificateGate
    private let open = OpenConnections()
    private let unserved: UnservedConnections
    private let certificateRefused: @Sendable (CertificateRefusal, String) -> Void
    /// The port the server listens on (useful after binding port 0).
    public let port: Int

    /// Binds `host:port` (port 0: any free port). A peer that sends nothing for `idleTimeout`, once a frame has gone
    /// each way (its HELLO and the answer), is disconnected; before, the handshake and HELLO deadlines of `limits`
    /// apply.
    /// `gate` judges peer certificates (by default: the credentials' CA, no revocation list).
    public static func bind(
        host: String,
        port: Int,
        credentials: TLSCredentials,
        gate: CertificateGate? = nil,
        idleTimeout: Duration = .seconds(30),
        limits: ConnectionLimits = ConnectionLimits(),
        logger: Logger,
        certificateRefused: @escaping @Sendable (CertificateRefusal, _ address: String) -> Void = { _, _ in }
    ) async throws -> TLSServer {
        let context = try NIOSSLContext(configuration: credentials.serverConfiguration())
        let gate = gate ?? CertificateGate(trustRoot: credentials.trustRoot, router: credentials.identity.nodeID)
        let guardian = ConnectionGuard(limits: limits, logger: logger)
        let unserved = UnservedConnections()
        var bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            // Connections wait here while accepts are paused (ConnectionGuard); the kernel caps it (somaxconn).
            .serverChannelOption(.backlog, value: 4096)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
        if let option = ChannelOptions.Types.SocketOption.tcpUserTimeout {
            bootstrap = bootstrap.childChannelOption(option, value: TimeAmount(idleTimeout).socketMilliseconds)
        }
        let channel =
            try await bootstrap
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    // Over a limit: closed at once, before any TLS work.
                    let address = channel.remoteAddress?.ipAddress ?? "unknown address"
                    if let refusal = guardian.admit(address, listener: channel.parent) {
                        channel.close(promise: nil)
                        throw ConnectionRefused(reason: refusal)
                    }
                    let peer = Locked<(node: NodeID, certificate: [UInt8])?>(nil)
                    let tls = NIOSSLServerHandler(context: context) { certificates, promise in
                        guard let leaf = certificates.first, let der = try? leaf.toDERBytes() else {
                            promise.succeed(.failed)
                            return
                        }
                        promise.completeWithTask {
                            switch await gate.check(derBytes: der) {
                            case .success(let node):
                                peer.withLock { $0 = (node, der) }
                                return .certificateVerified
                            case .failure(let refusal):
                                certificateRefused(refusal, address)
                                return .failed
                            }
                        }
                    }
                    let pipeline = channel.pipeline.syncOperations
                    // The TLS handler's long-lived buffers in their own mappings (PageMappedAllocator).
                    let heap = try channel.syncOptions?.getOption(.allocator) ?? ByteBufferAllocator()
                    try channel.syncOptions?.setOption(.allocator, value: PageMappedAllocator.allocator)
                    // The idle check starts once a frame has gone each way (HELLO, then WELCOME or GOODBYE): until then
                    // the handshake and HELLO deadlines (ConnectionDeadlines) govern, so that neither a handshake slowed
                    // by a busy machine nor the router's own late WELCOME is cut short by an idle timeout made for
                    // heartbeats. The setup deadline is a backstop behind both.
                    try pipeline.addFrameHandlers(
                        tls: tls,
                        idleTimeout: TimeAmount(idleTimeout),
                        setupTimeout: .milliseconds(
                            limits.handshakeTimeoutMilliseconds + limits.helloTimeoutMilliseconds
                        )
                            + .seconds(1)
                    )
                    try channel.syncOptions?.setOption(.allocator, value: heap)
                    try pipeline.addHandler(ConnectionDeadlines(guardian: guardian, address: address))
                    try pipeline.addHandler(FrameRateLimiter(guardian: guardian, address: address))
                    try pipeline.addHandler(FrameBatcher())
                    let connection = try NIOAsyncChannel<[Frame], ByteBuffer>(wrappingChannelSynchronously: channel)
                    unserved.add(connection)
                    return AcceptedConnection(channel: connection, peer: peer)
                }
            }
        guard let boundPort = channel.channel.localAddress?.port else {
            throw FrameError(.invalidValue, "the server socket has no port")
        }
        return TLSServer(
            channel: channel,
            port: boundPort,
            guardian: guardian,
            unserved: unserved,
            gate: gate,
            certificateRefused: certificateRefused,
            logger: logger
        )
    }

    /// The name under which `refusals` counts the pauses of accepts.
    public static let pausedAccepts = "accepts paused at max_handshakes"

    /// Closes every open connection whose certificate the gate's revocation list now revokes (after it was
    /// replaced), reporting each to `certificateRefused`; returns how many it closed.
    @discardableResult
    public func closeRevoked() -> Int {
        var closed = 0
        for entry in open.all {
            // Removed here or by the connection's own check, never both: one refusal, one report.
            guard let refusal = gate.revocation(of: entry.certificate), open.remove(entry.channel) else { continue }
            certificateRefused(refusal, entry.address)
            entry.channel.close(promise: nil)
            closed += 1
        }
        return closed
    }

    private init(
        channel: NIOAsyncChannel<AcceptedConnection, Never>,
        port: Int,
        guardian: ConnectionGuard,
        unserved: UnservedConnections,
        gate: CertificateGate,
        certificateRefused: @escaping @Sendable (CertificateRefusal, String) -> Void,
        logger: Logger
    ) {
        self.channel = channel
        self.port = port
        self.guardian = guardian
        self.unserved = unserved
        self.gate = gate
        self.certificateRefused = certificateRefused
        self.logger = logger
    }

    /// Connections closed by a limit so far, by reason (`ConnectionLimits.Refusal`).
    /// Connections closed by the limits, by reason, and (as "accepts paused at max_handshakes") how many times the
    /// socket stopped accepting at the handshake limit.
    public var refusals: [String: Int] {
        var refusals = Dictionary(uniqueKeysWithValues: guardian.refusals.map { ($0.key.rawValue, $0.value) })
        let pauses = guardian.pauses
        if pauses > 0 { refusals[Self.pausedAccepts] = pauses }
        return refusals
    }

    /// Connections open now.
    public var openConnections: Int { guardian.openConnections }

    /// A connection closed by a limit as soon as it was accepted.
    private struct ConnectionRefused: Error {
        let reason: ConnectionLimits.Refusal
    }

    /// Serves each connection with `handler` until cancelled; then the listening socket is closed, and with it each
    /// connection accepted that was not served yet.
    public func serve(_ handler: @escaping @Sendable (PeerConnection) async -> Void) async throws {
        try await withThrowingDiscardingTaskGroup { group in
            do {
                try await withTaskCancellationHandler {
                    try await channel.executeThenClose { connections in
                        for try await accepted in connections {
                            unserved.remove(accepted.channel)
                            let loop = accepted.channel.channel.eventLoop
                            group.addTask(executorPreference: EventLoopTaskExecutor(loop)) {
                                await self.serve(accepted, handler: handler)
                            }
                        }
                    }
                } onCancel: {
                    channel.channel.close(promise: nil)
                }
            } catch {
                await closeUnserved()
                throw error
            }
            await closeUnserved()
        }
    }

    /// Once the listening socket is closed (no connection is accepted after that), closes those accepted that
    /// `serve` did not take.
    private func closeUnserved() async {
        try? await channel.channel.closeFuture.get()
        await unserved.closeAll()
    }

    /// Serves one connection; its errors end it alone.
    private func serve(_ accepted: AcceptedConnection, handler: @Sendable (PeerConnection) async -> Void) async {
        let connection = accepted.channel
        let remote = connection.channel.remoteAddress.map { "\($0)" } ?? "?"
        defer { open.remove(connection.channel) }
        do {
            try await connection.executeThenClose { inbound, outbound in
                var frames = inbound.makeAsyncIterator()
                // The first frames can only arrive once the handshake, client certificate included, is complete.
                guard let first = try await frames.next() else { return }
                // The gate admitted the certificate before the handshake could complete (no frame comes without it).
                guard let (peer, certificate) = accepted.peer.withLock({ $0 }) else {
                    throw FrameError(.invalidValue, "the peer's certificate was not admitted")
                }
                let address = connection.channel.remoteAddress?.ipAddress ?? "unknown address"
                open.add(connection.channel, address: address, certificate: certificate)
                // A list replaced between the handshake and the line above: closeRevoked may not have seen this
                // connection, so look again now that it is registered.
                if let refusal = gate.revocation(of: certificate) {
                    if open.remove(connection.channel) { certificateRefused(refusal, address) }
                    return
                }
                var pending: [Frame]? = first
                let connectionInbound = FrameInbound(nextBatch: {
                    if let batch = pending {
                        pending = nil
                        return batch
                    }
                    return try await frames.next()
                })
                await handler(
                    PeerConnection(
                        peer: peer,
                        inbound: connectionInbound,
                        outbound: NIOOutbound(writer: outbound, allocator: connection.channel.allocator)
                    )
                )
            }
        } catch {
            logger.notice("connection closed", metadata: ["peer.address": "\(remote)", "reason": "\(error)"])
        }
    }
}
