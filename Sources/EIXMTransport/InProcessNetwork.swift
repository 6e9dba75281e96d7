import EIXMModel

/// A transport inside one process, for fast tests of real router and node logic without sockets. Each client
/// names the node it is; nothing is encrypted or certified.
public final class InProcessNetwork: Sendable {
    /// A connection a client opened, not yet served: everything in it is Sendable.
    fileprivate struct Pending: Sendable {
        let peer: NodeID
        let inbound: AsyncStream<[Frame]>
        let outbound: AsyncStream<[Frame]>.Continuation
    }

    private let incoming: AsyncStream<Pending>.Continuation
    private let accepted: Locked<AsyncStream<Pending>?>
    public let router: NodeID

    public init(router: NodeID = .router) {
        let (stream, continuation) = AsyncStream<Pending>.makeStream()
        incoming = continuation
        accepted = Locked(stream)
        self.router = router
    }

    /// The server side; serve it once.
    public var server: some ServerTransport { Server(network: self) }

    /// A client that connects as `node`.
    public func client(as node: NodeID) -> some ClientTransport { Client(network: self, node: node) }

    fileprivate func takeIncoming() -> AsyncStream<Pending>? {
        accepted.withLock { stream in
            defer { stream = nil }
            return stream
        }
    }

    fileprivate func connect(as node: NodeID) -> PeerConnection {
        let (toServer, toServerContinuation) = AsyncStream<[Frame]>.makeStream()
        let (toClient, toClientContinuation) = AsyncStream<[Frame]>.makeStream()
        incoming.yield(Pending(peer: node, inbound: toServer, outbound: toClientContinuation))
        return PeerConnection(
            peer: router,
            inbound: Self.inbound(toClient),
            outbound: StreamOutbound(continuation: toServerContinuation)
        )
    }

    fileprivate static func inbound(_ stream: AsyncStream<[Frame]>) -> FrameInbound {
        var iterator = stream.makeAsyncIterator()
        return FrameInbound(nextBatch: { await iterator.next() })
    }

    private struct Server: ServerTransport {
        let network: InProcessNetwork

        func serve(_ handler: @escaping @Sendable (PeerConnection) async -> Void) async throws {
            guard let connections = network.takeIncoming() else {
                throw FrameError(.invalidValue, "the in-process network is already served")
            }
            await withDiscardingTaskGroup { group in
                for await pending in connections {
                    group.addTask {
                        let outbound = StreamOutbound(continuation: pending.outbound)
                        await handler(
                            PeerConnection(
                                peer: pending.peer,
                                inbound: InProcessNetwork.inbound(pending.inbound),
                                outbound: outbound
                            )
                        )
                        // As a socket closes when its handler returns.
                        await outbound.close()
                    }
                }
            }
        }
    }

    private struct Client: ClientTransport {
        let network: InProcessNetwork
        let node: NodeID

        func connect(_ body: (PeerConnection) async throws -> Void) async throws {
            let connection = network.connect(as: node)
            do {
                try await body(connection)
            } catch {
                await connection.outbound.close()
                throw error
            }
            await connection.outbound.close()
        }
    }
}

/// Sends frames into an `AsyncStream` read by the other end: the frames of one send arrive together, as those of
/// one write often do over TCP.
private struct StreamOutbound: FrameOutbound {
    let continuation: AsyncStream<[Frame]>.Continuation

    func send(_ frames: [Frame]) async throws {
        guard !frames.isEmpty else { return }
        if case .terminated = continuation.yield(frames) {
            throw FrameError(.invalidValue, "the connection is closed")
        }
    }

    func close() async { continuation.finish() }
}
