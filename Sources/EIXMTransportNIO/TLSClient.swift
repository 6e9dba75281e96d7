import EIXMModel
import EIXMTransport
import Logging
import NIOCore
import NIOPosix
import NIOSSL

/// A node's connection to the router: TCP + TLS 1.3, presenting the node's certificate and checking the
/// router's against the exercise CA and the router's node ID as server name.
public struct TLSClient: ClientTransport {
    public let host: String
    public let port: Int
    public let router: NodeID
    private let context: NIOSSLContext
    private let idleTimeout: TimeAmount
    /// `host:port` when the host is an IP address: connected to directly, without a name lookup (in a connect storm
    /// each lookup is a hand-over to NIO's resolver thread and back).
    private let address: SocketAddress?

    public init(
        host: String,
        port: Int,
        router: NodeID = .router,
        credentials: TLSCredentials,
        idleTimeout: Duration = .seconds(30)
    ) throws {
        self.host = host
        self.port = port
        self.router = router
        self.idleTimeout = TimeAmount(idleTimeout)
        address = try? SocketAddress(ipAddress: host, port: port)
        context = try NIOSSLContext(configuration: credentials.clientConfiguration())
    }

    public func connect(_ body: (PeerConnection) async throws -> Void) async throws {
        let context = self.context
        let serverName = TLSCredentials.serverName(for: router)
        let idleTimeout = self.idleTimeout
        var bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
        if let option = ChannelOptions.Types.SocketOption.tcpUserTimeout {
            bootstrap = bootstrap.channelOption(option, value: idleTimeout.socketMilliseconds)
        }
        let channel: NIOAsyncChannel<[Frame], ByteBuffer>
        do {
            channel = try await connect(bootstrap, context: context, serverName: serverName, idleTimeout: idleTimeout)
        } catch {
            throw ConnectFailure(description: "cannot connect to \(host):\(port): \(Self.plain(error))")
        }
        try await channel.executeThenClose { inbound, outbound in
            var frames = inbound.makeAsyncIterator()
            try await withTaskExecutorPreference(EventLoopTaskExecutor(channel.channel.eventLoop)) {
                try await body(
                    PeerConnection(
                        peer: router,
                        inbound: FrameInbound(nextBatch: { try await frames.next() }),
                        outbound: NIOOutbound(writer: outbound, allocator: channel.channel.allocator)
                    )
                )
            }
        }
    }

    /// How long a node waits, once its TCP connection is made, for the TLS handshake and the router's first frame:
    /// in a connect storm of 10,000 nodes the router serves them in turn (its accepts paused at `max_handshakes`, the
    /// kernel's backlog holding the rest) for several seconds, and a node that gave up after the idle timeout would
    /// only queue again behind the others, leaving the router half a handshake done for nothing. A router that is
    /// gone is still found at once (the connection is reset) and a cut link after the idle timeout
    /// (`TCP_USER_TIMEOUT`: the handshake's bytes stay unacknowledged).
    static let setupTimeout: TimeAmount = .seconds(30)

    /// Why a connection could not be made, in words.
    public struct ConnectFailure: Error, CustomStringConvertible {
        public let description: String
    }

    /// A connection error in words (NIO's own descriptions name its types).
    static func plain(_ error: any Error) -> String {
        if let failure = error as? NIOConnectionError {
            let reasons = failure.connectionErrors.map { plain($0.error) }
            if failure.dnsAError != nil || failure.dnsAAAAError != nil, reasons.isEmpty {
                return "the name does not resolve"
            }
            return reasons.isEmpty ? "no address to connect to" : Array(Set(reasons)).sorted().joined(separator: "; ")
        }
        if let io = error as? IOError { return String(cString: strerror(io.errnoCode)).lowercased() }
        if case .connectTimeout? = error as? ChannelError { return "no answer within 5 s" }
        return "\(error)"
    }

    private func connect(
        _ bootstrap: ClientBootstrap,
        context: NIOSSLContext,
        serverName: String,
        idleTimeout: TimeAmount
    ) async throws -> NIOAsyncChannel<[Frame], ByteBuffer> {
        let initialize: @Sendable (any NIOCore.Channel) -> EventLoopFuture<NIOAsyncChannel<[Frame], ByteBuffer>> = {
            channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addFrameHandlers(
                    tls: try NIOSSLClientHandler(context: context, serverHostname: serverName),
                    idleTimeout: idleTimeout,
                    setupTimeout: Self.setupTimeout
                )
                try channel.pipeline.syncOperations.addHandler(FrameBatcher())
                return try NIOAsyncChannel<[Frame], ByteBuffer>(wrappingChannelSynchronously: channel)
            }
        }
        let connecting = bootstrap.connectTimeout(.seconds(5))
        if let address { return try await connecting.connect(to: address, channelInitializer: initialize) }
        return try await connecting.connect(host: host, port: port, channelInitializer: initialize)
    }
}
