import EIXMModel

/// The sending half of a connection. Sendable: the router keeps it to deliver to the node from any task.
public protocol FrameOutbound: Sendable {
    /// Sends frames in order; suspends while the peer is slow to read (backpressure).
    func send(_ frames: [Frame]) async throws
    /// Ends the connection's sending side.
    func close() async
}

/// The receiving half of a connection: a sequence of frames, read by the one task that serves the connection. A
/// transport hands them over as they arrived, in batches (the frames of one read from the socket); `next()` gives
/// them one at a time, `nextBatch()` all that arrived together, so that a reader can pay for one hop per read.
public struct FrameInbound: AsyncSequence {
    public typealias Element = Frame

    private let nextFrames: () async throws -> [Frame]?

    /// A sequence whose iterator calls `next` for each frame; `nil` ends it.
    public init(next: @escaping () async throws -> Frame?) {
        nextFrames = { try await next().map { [$0] } }
    }

    /// A sequence whose iterator calls `nextBatch` for the frames of each read (never empty); `nil` ends it.
    public init(nextBatch: @escaping () async throws -> [Frame]?) { nextFrames = nextBatch }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let nextFrames: () async throws -> [Frame]?
        /// The rest of the batch read last, from `index` on.
        var buffered: [Frame] = []
        var index = 0

        public mutating func next() async throws -> Frame? {
            if index == buffered.count {
                guard let batch = try await nextBatch() else { return nil }
                buffered = batch
                index = 0
            }
            defer { index += 1 }
            return buffered[index]
        }

        /// What is left of the last read, or else the frames of the next read (at least one); `nil` at the end.
        public mutating func nextBatch() async throws -> [Frame]? {
            if index < buffered.count {
                defer {
                    buffered = []
                    index = 0
                }
                return Array(buffered[index...])
            }
            while let batch = try await nextFrames() {
                if !batch.isEmpty { return batch }
            }
            return nil
        }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(nextFrames: nextFrames) }
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
