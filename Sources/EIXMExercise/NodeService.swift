import EIXMCrypto
import EIXMModel
import EIXMNodes
import EIXMRouter
import EIXMRules
import EIXMTransportNIO
import Foundation
import Logging

/// One node as a process of its own (`eixm node`): connects to a router over mutual TLS and behaves as the
/// exercise configuration says until stopped, then waits for what is in flight and reports its counts.
public struct NodeService: Sendable {
    public let configuration: ExerciseConfiguration
    public let logger: Logger

    public init(configuration: ExerciseConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    public func run(
        node id: NodeID,
        pki: ExercisePKI,
        host: String,
        port: Int,
        journal: sending NodeJournal? = nil,
        stop: AsyncStream<Void>
    ) async throws -> NodeStatistics {
        // The node's time follows the router's, from its WELCOME on.
        let clock = FollowingClock(start: configuration.start, scale: configuration.timeScale)
        let identity = try pki.identity(for: id)
        let client = try TLSClient(
            host: host,
            port: port,
            router: configuration.router.identity,
            credentials: TLSCredentials(identity: identity, trustRoot: pki.caCertificate),
            idleTimeout: .milliseconds(Int64(configuration.router.heartbeatMilliseconds) * 5)
        )
        // The node's own seed: the exercise seed mixed with its ID (FNV-1a), so that processes agree run to run.
        let fingerprint = id.rawValue.utf8.reduce(UInt64(0xCBF2_9CE4_8422_2325)) {
            ($0 ^ UInt64($1)) &* 0x0000_0100_0000_01B3
        }
        var mixer = SeededGenerator(seed: configuration.seed ^ fingerprint)
        let changes = ChangeSignal()
        let node = ExerciseNode(
            identity: identity,
            behaviour: configuration.behaviour(of: id),
            rules: configuration.rules,
            keys: try pki.keyDirectory(),
            peers: configuration.nodes,
            clock: clock,
            transport: client,
            seed: mixer.next(),
            journal: journal,
            logger: logger,
            changes: changes
        )
        let forever = clock.now.adding(seconds: 100 * 365 * 86_400)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await node.run(trafficUntil: forever, until: forever) }
            var signals = stop.makeAsyncIterator()
            _ = await signals.next()
            await node.stopTraffic()
            // Let what is in flight arrive: wait (woken by each answer) until the router has answered everything we
            // sent, for at most five seconds; then half a second more for the receipts of the last deliveries.
            let deadline = ContinuousClock.now + .seconds(5)
            while true {
                let version = changes.version
                guard node.unacknowledgedCount > 0 else { break }
                guard await changes.wait(after: version, until: deadline) else { break }
            }
            try? await Task.sleep(for: .milliseconds(500))
            group.cancelAll()
        }
        return await node.snapshot()
    }
}
