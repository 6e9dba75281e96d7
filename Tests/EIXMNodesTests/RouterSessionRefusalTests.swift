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

    @Test(
        "sessions sharing a failure log: the first failure of a reason is said at once, the rest are counted and summed up, none lost"
    )
    func sharedFailures() async throws {
        let nodes: [NodeID] = [.spoc(.be), .spoc(.fr), .spoc(.de), .spoc(.it)]
        let pki = try ExercisePKI.generate(nodes: nodes)
        for (interval, expectedWarnings) in [(Duration.seconds(3600), 1), (.zero, 12)] {
            // A router that closes every connection unanswered: every attempt fails, with the same reason.
            let network = InProcessNetwork()
            let server = Task { try await network.server.serve { _ in } }
            defer { server.cancel() }
            let log = ReasonLog()
            let logger = Logger(label: "test.load") { _ in ReasonLog.Handler(log: log) }
            let failures = ConnectFailures(logger: logger, interval: interval)
            let sessions = try nodes.enumerated().map { index, node in
                RouterSession(
                    sealing: RouterSession.Sealing(
                        identity: try pki.identity(for: node),
                        mode: .perMessage,
                        batchMaximum: 1
                    ),
                    transport: network.client(as: node),
                    backoff: RouterSession.Backoff(initial: .milliseconds(1), maximum: .milliseconds(2)),
                    seed: UInt64(index),
                    logger: logger,
                    failures: failures
                )
            }
            await withTaskGroup(of: Void.self) { group in
                for session in sessions { group.addTask { await session.run(Attempts(3)) } }
            }
            #expect(failures.attempts == 12)
            let reason = try #require(failures.firstReason)
            let reasons = log.reasons.withLock { $0 }
            // One hour between summaries: the first failure only. None: the first, then each later one summed up.
            #expect(reasons.count == expectedWarnings, "\(reasons)")
            #expect(reason == "the connection closed before the router's WELCOME")
            #expect(reasons.allSatisfy { $0 == reason })
        }
    }
}
