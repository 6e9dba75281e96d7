import EIXMModel
import EIXMTransport

/// What the session tests' stand-in routers share: the greeting.
enum StandInRouter {
    /// Reads the node's HELLO and answers WELCOME at simulated time zero; `false` when the first frame is no HELLO.
    static func welcome(
        _ connection: PeerConnection,
        reading frames: inout FrameInbound.AsyncIterator,
        heartbeatMilliseconds: UInt32 = 60_000
    ) async throws -> Bool {
        guard case .hello = try await frames.next() else { return false }
        let welcome = Frame.Welcome(
            router: .router,
            simulatedTime: Timestamp(millisecondsSinceEpoch: 0),
            heartbeatMilliseconds: heartbeatMilliseconds
        )
        try await connection.outbound.send([.welcome(welcome)])
        return true
    }
}
