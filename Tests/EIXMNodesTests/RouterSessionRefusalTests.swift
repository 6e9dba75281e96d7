import EIXMCrypto
import EIXMModel
import EIXMNodes
import EIXMTestKit
import EIXMTransport
import Foundation
import Logging
import Synchronization
import Testing

/// A node the router does not welcome says why, in words, at every attempt.
@Suite("Router sessions not welcomed", .timeLimit(.minutes(1)))
struct RouterSessionRefusalTests {
    /// Keeps the `reason` of every "cannot connect to the router" warning, in order.
    final class ReasonLog: Sendable {
        let reasons = Mutex<[String]>([])

        struct Handler: LogHandler {
            let log: ReasonLog
            var metadata: Logger.Metadata = [:]
            var logLevel: Logger.Level = .trace

            subscript(metadataKey key: String) -> Logger.Metadata.Value? {
                get { metadata[key] }
                set { metadata[key] = newValue }
            }

            func log(event: LogEvent) {
                guard event.message.description == "cannot connect to the router" else { return }
                let reason = event.metadata?["reason"].map { "\($0)" } ?? "(no reason)"
                log.reasons.withLock { $0.append(reason) }
            }
        }
    }

    /// Lets the session try `attempts` times.
    actor Attempts: RouterSessionHandler {
        var left: Int
        init(_ attempts: Int) { left = attempts }

        func mayConnect() -> Bool {
            defer { left -= 1 }
            return left > 0
        }
        func welcomed(_ welcome: Frame.Welcome) {}
        func delivered(_ delivery: Frame.Delivery) -> DeliveryReceipt.Content? { nil }
        func answered(_ id: UUID, refusal: Frame.Refusal?) {}
    }

    @Test(
        "a router that answers HELLO with GOODBYE, with another frame, or closes: each attempt's warning names what happened"
    )
    func reasonsInWords() async throws {
        let pki = try ExercisePKI.generate(nodes: [.spoc(.be)])
        let network = InProcessNetwork()
        let log = ReasonLog()
        let session = RouterSession(
            sealing: RouterSession.Sealing(
                identity: try pki.identity(for: .spoc(.be)),
                mode: .perMessage,
                batchMaximum: 1
            ),
            transport: network.client(as: .spoc(.be)),
            backoff: RouterSession.Backoff(initial: .milliseconds(1), maximum: .milliseconds(5)),
            seed: 1,
            logger: Logger(label: "test.session") { _ in ReasonLog.Handler(log: log) }
        )
        // The first connection is told GOODBYE, the second gets a HEARTBEAT, the third is closed unanswered.
        let answers: [Frame?] = [.goodbye(reason: "the node's certificate is revoked"), .heartbeat, nil]
        let served = Atomic<Int>(0)
        let server = Task {
            try await network.server.serve { connection in
                var frames = connection.inbound.makeAsyncIterator()
                guard case .hello = try? await frames.next() else { return }
                let index = served.add(1, ordering: .relaxed).newValue - 1
                if index < answers.count, let answer = answers[index] {
                    try? await connection.outbound.send([answer])
                }
            }
        }
        await session.run(Attempts(answers.count))
        server.cancel()
        #expect(await session.firstWelcome() == false)
        #expect(
            log.reasons.withLock { $0 } == [
                "the router refused the connection: the node's certificate is revoked",
                "the router answered HELLO with HEARTBEAT, not WELCOME",
                "the connection closed before the router's WELCOME",
            ]
        )
    }
}
