import EIXMModel
import EIXMTransport
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import SwiftASN1
import X509

/// The router's listening socket: TCP + TLS 1.3 with mutual authentication against the exercise CA. Each
/// connection's peer identity is the node ID bound in its verified certificate.
public final class TLSServer: ServerTransport {
    private let channel: NIOAsyncChannel<NIOAsyncChannel<Frame, ByteBuffer>, Never>
    private let logger: Logger
    private let guardian: ConnectionGuard
    /// The port the server listens on (useful after binding port 0).
    public let port: Int

    /// Binds `host:port` (port 0: any free port). A peer that sends nothing for `idleTimeout` is disconnected.
    public static func bind(
        host: String,
        port: Int,
        credentials: TLSCredentials,
        idleTimeout: Duration = .seconds(30),
        limits: ConnectionLimits = ConnectionLimits(),
        logger: Logger
    ) async throws -> TLSServer {
        let context = try NIOSSLContext(configuration: credentials.serverConfiguration())
        let guardian = ConnectionGuard(limits: limits, logger: logger)
        var bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
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
                    if let refusal = guardian.admit(address) {
                        channel.close(promise: nil)
                        throw ConnectionRefused(reason: refusal)
                    }
                    let pipeline = channel.pipeline.syncOperations
                    try pipeline.addHandler(NIOSSLServerHandler(context: context))
                    try pipeline.addHandler(IdleStateHandler(allTimeout: TimeAmount(idleTimeout)))
                    try pipeline.addHandler(IdleCloser())
                    try pipeline.addHandler(ByteToMessageHandler(FrameDecoder()))
                    try pipeline.addHandler(ConnectionDeadlines(guardian: guardian, address: address))
                    return try NIOAsyncChannel<Frame, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        guard let boundPort = channel.channel.localAddress?.port else {
            throw FrameError(.invalidValue, "the server socket has no port")
        }
        return TLSServer(channel: channel, port: boundPort, guardian: guardian, logger: logger)
    }

    private init(
        channel: NIOAsyncChannel<NIOAsyncChannel<Frame, ByteBuffer>, Never>,
        port: Int,
        guardian: ConnectionGuard,
        logger: Logger
    ) {
        self.channel = channel
        self.port = port
        self.guardian = guardian
        self.logger = logger
    }

    /// Connections closed by a limit so far, by reason (`ConnectionLimits.Refusal`).
    public var refusals: [String: Int] {
        Dictionary(uniqueKeysWithValues: guardian.refusals.map { ($0.key.rawValue, $0.value) })
    }

    /// Connections open now.
    public var openConnections: Int { guardian.openConnections }

    /// A connection closed by a limit as soon as it was accepted.
    private struct ConnectionRefused: Error {
        let reason: ConnectionLimits.Refusal
    }

    public func serve(_ handler: @escaping @Sendable (PeerConnection) async -> Void) async throws {
        let logger = self.logger
        try await withThrowingDiscardingTaskGroup { group in
            try await withTaskCancellationHandler {
                try await channel.executeThenClose { connections in
                    for try await connection in connections {
                        group.addTask { await Self.serve(connection, handler: handler, logger: logger) }
                    }
                }
            } onCancel: {
                channel.channel.close(promise: nil)
            }
        }
    }

    /// Serves one connection; its errors end it alone.
    private static func serve(
        _ connection: NIOAsyncChannel<Frame, ByteBuffer>,
        handler: @Sendable (PeerConnection) async -> Void,
        logger: Logger
    ) async {
        let remote = connection.channel.remoteAddress.map { "\($0)" } ?? "?"
        do {
            try await connection.executeThenClose { inbound, outbound in
                var frames = inbound.makeAsyncIterator()
                // The first frame can only arrive once the handshake, client certificate included, is complete.
                guard let first = try await frames.next() else { return }
                let peer = try await certifiedNode(of: connection.channel)
                var pending: Frame? = first
                let connectionInbound = FrameInbound {
                    if let frame = pending {
                        pending = nil
                        return frame
                    }
                    return try await frames.next()
                }
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

    /// The node ID bound in the peer's verified certificate.
    private static func certifiedNode(of channel: any NIOCore.Channel) async throws -> NodeID {
        guard let certificate = try await channel.nioSSL_peerCertificate().get() else {
            throw FrameError(.invalidValue, "the peer presented no certificate")
        }
        let parsed = try Certificate(derEncoded: try certificate.toDERBytes())
        guard let node = parsed.nodeIDFromSAN else {
            throw FrameError(.invalidValue, "the peer's certificate binds no node ID")
        }
        return node
    }
}

extension Certificate {
    /// The node ID in the `urn:eixm:node:` SAN URI (the same binding EIXMCrypto writes).
    fileprivate var nodeIDFromSAN: NodeID? {
        guard let names = try? extensions.subjectAlternativeNames else { return nil }
        for case .uniformResourceIdentifier(let uri) in names where uri.hasPrefix("urn:eixm:node:") {
            return NodeID(String(uri.dropFirst("urn:eixm:node:".count)))
        }
        return nil
    }
}
