import EIXMRouter
import EIXMTransportNIO
import NIOCore
import Testing

/// The router's listening socket stopped while peers are connecting: every connection it accepted is closed, served
/// or not, and the process goes on.
@Suite("The listening socket stopped while peers connect", .timeLimit(.minutes(1)))
struct ServerStopTests {
    @Test(
        "serving cancelled in the middle of a burst of connections: each one accepted but not yet served is closed too (NIO would stop the process over one released unclosed), so every client sees its connection end",
        arguments: 0..<4
    )
    func cancelledWhileAccepting(round: Int) async throws {
        let harness = try await TLSHarness.start()
        let (router, server, port) = (harness.router, harness.server, harness.server.port)
        let serving = Task { try await server.serve { await router.serve($0) } }
        // 64 connections at once; serving is cancelled as soon as the first is made, while the kernel and the event
        // loops still hand the others over.
        let channels = await withTaskGroup(of: (any NIOCore.Channel)?.self) { group in
            for _ in 0..<64 { group.addTask { try? await ConnectionLimitTests.rawConnection(port) } }
            var channels: [any NIOCore.Channel] = []
            for await channel in group {
                guard let channel else { continue }
                if channels.isEmpty { serving.cancel() }
                channels.append(channel)
            }
            return channels
        }
        _ = try? await serving.value
        #expect(!channels.isEmpty)
        // Each close is awaited: one left open would hold the test to its time limit.
        for channel in channels { try? await channel.closeFuture.get() }
        #expect(channels.allSatisfy { !$0.isActive })
    }
}
