import EIXMModel

/// A client transport whose network can fail on purpose: a partition cuts the live connection (its sending side is
/// closed, so the router sees the node go; nothing more is read from it) and refuses new ones until it heals; a slow
/// link delays every frame the node reads (the router's queue for it fills). Wraps any client transport, so the same
/// faults run in-process and over TLS.
public final class PartitionableClient: ClientTransport {
    private struct State {
        var partitioned = false
        var readDelay: Duration?
        /// The live connections: their sending halves, and the signal that wakes a read delayed by a slow link.
        var live: [Int: (outbound: any FrameOutbound, cut: Tripwire)] = [:]
        var nextConnection = 0
    }

    private let base: any ClientTransport
    private let state = Locked(State())

    public init(_ base: any ClientTransport) { self.base = base }

    public var isPartitioned: Bool { state.withLock { $0.partitioned } }

    /// Cuts the live connection and refuses new ones until `heal()`.
    public func partition() async {
        let live = state.withLock { state in
            state.partitioned = true
            // A cut connection stays cut after a heal: only new connections come back.
            defer { state.live = [:] }
            return Array(state.live.values)
        }
        for connection in live {
            connection.cut.trip()
            await connection.outbound.close()
        }
    }

    public func heal() { state.withLock { $0.partitioned = false } }

    /// Delays every frame read from now on by `delay` (`nil`: no delay).
    public func slowReads(by delay: Duration?) { state.withLock { $0.readDelay = delay } }

    public func connect(_ body: (PeerConnection) async throws -> Void) async throws {
        guard !isPartitioned else { throw Cut(reason: "the network to the router is partitioned") }
        try await base.connect { connection in
            let cut = Tripwire()
            let id = state.withLock { state -> Int? in
                guard !state.partitioned else { return nil }
                defer { state.nextConnection += 1 }
                state.live[state.nextConnection] = (connection.outbound, cut)
                return state.nextConnection
            }
            guard let id else { throw Cut(reason: "the network to the router is partitioned") }
            defer { _ = state.withLock { $0.live.removeValue(forKey: id) } }
            var frames = connection.inbound.makeAsyncIterator()
            let inbound = FrameInbound {
                let frame = try await frames.next()
                if let delay = self.state.withLock({ $0.readDelay }) { await cut.wait(delay) }
                guard self.state.withLock({ $0.live[id] != nil && !$0.partitioned }) else {
                    throw Cut(reason: "the connection was cut by a partition")
                }
                return frame
            }
            let outbound = CutOutbound(base: connection.outbound) {
                self.state.withLock { $0.live[id] == nil || $0.partitioned }
            }
            try await body(PeerConnection(peer: connection.peer, inbound: inbound, outbound: outbound))
        }
    }

    /// Wakes a read that a slow link delays when its connection is cut.
    final class Tripwire: Sendable {
        private let tripped = Locked(false)
        private let waiters = Waiters<Void>()

        func trip() {
            tripped.withLock { $0 = true }
            waiters.resumeAll(returning: ())
        }

        /// Waits for `delay` to pass or the wire to be tripped, whichever comes first.
        func wait(_ delay: Duration) async {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { try? await Task.sleep(for: delay) }
                group.addTask { await self.waiters.wait(cancelled: ()) { self.tripped.withLock { $0 } ? () : nil } }
                await group.next()
                group.cancelAll()
            }
        }
    }

    /// Why a connection failed: the fault, in words.
    public struct Cut: Error, CustomStringConvertible {
        public let reason: String
        public var description: String { reason }
    }

    /// The sending half of a connection that refuses to send once its network is partitioned.
    private struct CutOutbound: FrameOutbound {
        let base: any FrameOutbound
        let isCut: @Sendable () -> Bool

        func send(_ frames: [Frame]) async throws {
            guard !isCut() else { throw Cut(reason: "the connection was cut by a partition") }
            try await base.send(frames)
        }

        func close() async { await base.close() }
    }
}
