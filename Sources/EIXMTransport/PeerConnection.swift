import EIXMModel

/// The sending half of a connection. Sendable: the router keeps it to deliver to the node from any task.
public protocol FrameOutbound: Sendable {
    /// Sends frames in order; suspends while the peer is slow to read (backpressure).
    func send(_ frames: [Frame]) async throws
    /// Ends the connection's sending side.
    func close() async
}

/// The receiving half of a connection: a sequence of frames, read by the one task that serves the connection.
public struct FrameInbound: AsyncSequence {
    public typealias Element = Frame

    private let nextFrame: () async throws -> Frame?

    /// A sequence whose iterator calls `next` for each frame; `nil` ends it.
    public init(next: @escaping () async throws -> Frame?) { nextFrame = next }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let nextFrame: () async throws -> Frame?
        public mutating func next() async throws -> Frame? { try await nextFrame() }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(nextFrame: nextFrame) }
}

/// A live connection, as its serving task sees it: who is at the other end (as its certificate proves) and the
/// two halves.
public struct PeerConnection {
    /// The certified identity of the other end: from its TLS certificate, or asserted by an in-process transport.
    public let peer: NodeID
    public let inbound: FrameInbound
    public let outbound: any FrameOutbound

    public init(peer: NodeID, inbound: FrameInbound, outbound: any FrameOutbound) {
        self.peer = peer
        self.inbound = inbound
        self.outbound = outbound
    }
}

/// The router's side of a transport: accepts connections and serves each in its own task.
public protocol ServerTransport: Sendable {
    /// Accepts connections until the calling task is cancelled, running `handler` for each one; a handler's
    /// failure ends only its own connection.
    func serve(_ handler: @escaping @Sendable (PeerConnection) async -> Void) async throws
}

/// A node's side of a transport: one connection at a time, for the lifetime of `body`.
public protocol ClientTransport: Sendable {
    func connect(_ body: (PeerConnection) async throws -> Void) async throws
}
