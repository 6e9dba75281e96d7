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

    public init(host: String, port: Int, router: NodeID = .router, credentials: TLSCredentials, idleTimeout: Duration = .seconds(30)) throws {
        self.host = host
        self.port = port
        self.router = router
        self.idleTimeout = TimeAmount(idleTimeout)
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
        let channel = try await bootstrap
            .connectTimeout(.seconds(5))
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    try pipeline.addHandler(NIOSSLClientHandler(context: context, serverHostname: serverName))
                    try pipeline.addHandler(IdleStateHandler(allTimeout: idleTimeout))
                    try pipeline.addHandler(IdleCloser())
                    try pipeline.addHandler(ByteToMessageHandler(FrameDecoder()))
                    return try NIOAsyncChannel<Frame, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        try await channel.executeThenClose { inbound, outbound in
            var frames = inbound.makeAsyncIterator()
            try await body(PeerConnection(peer: router, inbound: FrameInbound { try await frames.next() }, outbound: NIOOutbound(writer: outbound, allocator: channel.channel.allocator)))
        }
    }
}
