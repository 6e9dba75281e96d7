import EIXMAudit
import EIXMCrypto
import EIXMModel
import EIXMNodes
import EIXMRouter
import EIXMRules
import EIXMTestKit
import EIXMTransport
import Foundation
import Logging
import Synchronization
import Testing

/// A node process's clock follows the router's from WELCOME.
@Suite("Following the router's clock", .timeLimit(.minutes(2)))
struct ClockFollowingTests {
    /// An audit sink that hands on the events and reports each received message.
    final class ReceivedEvents: AuditSink {
        let events = InMemoryAuditLog()
        let stream: AsyncStream<Void>
        private let continuation: AsyncStream<Void>.Continuation

        init() { (stream, continuation) = AsyncStream<Void>.makeStream() }

        func append(_ events: [AuditEvent]) {
            self.events.append(events)
            for event in events where event.kind == .accepted || event.kind == .rejected { continuation.yield() }
        }
    }

    @Test(
        "a node whose own clock is three days behind the router's (started long after it, or the router restarted) is not refused as a replay"
    )
    func followsWelcome() async throws {
        let pki = try ExercisePKI.generate(nodes: [.spoc(.be), .spoc(.fr)])
        let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        let routerClock = ManualClock()
        let audit = ReceivedEvents()
        let router = Router(
            configuration: RouterConfiguration(),
            rules: RulesEngine(configuration: .builtIn()),
            keys: try pki.keyDirectory(),
            clock: routerClock,
            audit: audit,
            logger: quiet
        )
        let network = InProcessNetwork()
        // Configured as the exercise file says, three simulated days behind the router; 36,000 requests a simulated
        // hour at the router's pace (scale 1): ten a second.
        let clock = FollowingClock(start: routerClock.now.adding(seconds: -3 * 86_400), scale: 3600)
        let node = ExerciseNode(
            identity: try pki.identity(for: .spoc(.fr)),
            behaviour: NodeBehaviour(requestsPerHour: 36_000, spontaneousPerHour: 0, ruleBreakingShare: 0),
            rules: .builtIn(),
            keys: try pki.keyDirectory(),
            peers: [.spoc(.be), .spoc(.fr)],
            clock: clock,
            transport: network.client(as: .spoc(.fr)),
            seed: 3,
            logger: quiet
        )
        let far = routerClock.now.adding(seconds: 30 * 86_400)
        let server = network.server
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await server.serve { await router.serve($0) } }
            group.addTask { await node.run(trafficUntil: far, until: far) }
            var received = audit.stream.makeAsyncIterator()
            for _ in 0..<3 { _ = await received.next() }
            group.cancelAll()
        }
        let judged = audit.events.events.filter { $0.kind == .rejected || $0.kind == .accepted }.prefix(3)
        #expect(judged.count == 3)
        #expect(!judged.contains { $0.rules.contains(RouterCheck.replay.rawValue) }, "\(judged.map(\.rules))")
        #expect(clock.now >= routerClock.now)
    }
}
