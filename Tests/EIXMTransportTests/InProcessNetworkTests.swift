import EIXMModel
import EIXMTransport
import Testing

@Suite("In-process transport", .timeLimit(.minutes(1)))
struct InProcessNetworkTests {
    @Test("a client's frames reach the server handler with the client's identity, and back")
    func echo() async throws {
        let network = InProcessNetwork()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await network.server.serve { connection in
                    var frames = connection.inbound.makeAsyncIterator()
                    while let frame = try? await frames.next() {
                        try? await connection.outbound.send([.goodbye(reason: "\(connection.peer) sent \(frame.name)")])
                    }
                }
            }
            try await network.client(as: .spoc(.be)).connect { connection in
                #expect(connection.peer == .router)
                try await connection.outbound.send([.heartbeat])
                var frames = connection.inbound.makeAsyncIterator()
                #expect(try await frames.next() == .goodbye(reason: "SPOC-BE sent HEARTBEAT"))
            }
            group.cancelAll()
        }
    }
}
