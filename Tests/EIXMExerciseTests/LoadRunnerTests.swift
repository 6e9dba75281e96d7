import EIXMCrypto
import EIXMExercise
import EIXMModel
import EIXMNodes
import EIXMRouter
import Foundation
import Logging
import Testing

@Suite("Load runs", .timeLimit(.minutes(2)))
struct LoadRunnerTests {
    @Test(
        "a load with 60 designated authorities beyond the exercise's nodes: each connects with its own certificate, their requests are judged as theirs, nothing is lost"
    )
    func designatedAuthorities() async throws {
        var exercise = ExerciseConfiguration.builtIn()
        exercise.nodes = [.spoc(.be), .spoc(.fr), .spoc(.nl), .europol]
        exercise.behaviours = [:]
        exercise.addDesignatedAuthorities(60)
        let configuration = LoadConfiguration(
            exercise: exercise,
            rate: 200,
            durationSeconds: 2,
            warmupSeconds: 0.5,
            drainSeconds: 30,
            bodyBytes: 256,
            thresholds: .init(maxLost: 0)
        )
        let report = try await Self.run(configuration)
        #expect(report.nodes.configured == 64)
        // Each connects (by the start of the traffic on a machine with time to spare; later on one starved core).
        #expect(report.nodes.connectedAtEnd == 64, "\(report.text)")
        #expect(report.measured.sent > 0)
        #expect(report.unanswered == 0)
        #expect(report.lost == 0)
        #expect(report.passed)
        #expect(report.text.hasSuffix("\nPASSED"))
        // Without thresholds there is nothing to pass: the report says so rather than PASSED.
        var unjudged = report
        unjudged.thresholds = []
        #expect(unjudged.text.hasSuffix("nothing passed or failed"), "\(unjudged.text.suffix(120))")
        #expect(!unjudged.text.contains("PASSED"))
        #expect(unjudged.text.contains("Router (the whole run, warm-up and drain included)"))
        // Most traffic is the authorities' requests, each also copied to the authority's own SPOC (CH-04).
        let router = try #require(report.routerSide)
        #expect(router.deliveries > router.accepted)
    }

    @Test(
        "a load over mutual TLS: every node connects, every message sent is answered, every accepted one reaches each addressee, nothing twice, and the thresholds are judged",
        arguments: [SignatureMode.batch, .perMessage]
    )
    func shortLoad(signatures: SignatureMode) async throws {
        var exercise = ExerciseConfiguration.builtIn()
        exercise.nodes = [.spoc(.be), .spoc(.fr), .spoc(.nl), .spoc(.de), .europol, .frontex]
        exercise.behaviours = [:]
        exercise.defaultBehaviour.ruleBreakingShare = 0.3
        let configuration = LoadConfiguration(
            exercise: exercise,
            rate: 200,
            durationSeconds: 2,
            warmupSeconds: 0.5,
            drainSeconds: 30,
            bodyBytes: 512,
            signatures: signatures,
            // No answer comes back in no time: this threshold fails; no delivery is lost: that one holds.
            thresholds: .init(maxP99Milliseconds: 0, maxLost: 0)
        )
        let report = try await Self.run(configuration)
        #expect(report.nodes.connectedAtEnd == 6, "\(report.text)")
        #expect(report.nodes.senders == 5)
        #expect(report.measured.sent > 0)
        #expect(report.measured.accepted + report.measured.rejected == report.measured.sent)
        #expect(report.measured.rejected > 0)
        #expect(!report.rejectionsByRule.isEmpty)
        #expect(report.unanswered == 0)
        let router = try #require(report.routerSide)
        #expect(router.received == report.series.reduce(0) { $0 + $1.sent })
        // Lost is the senders' and recipients' account: every message answered ACCEPTED reached each addressee.
        #expect(report.lost == 0)
        #expect(report.deliveriesReceived >= report.measured.accepted)
        #expect(report.duplicateDeliveries == 0)
        // Each recipient checked every delivery it acted on: against a root it verified, or one it had verified.
        #expect(report.signatures.mode == signatures.rawValue)
        let recipientChecks = report.signatures.recipientRootVerifications + report.signatures.recipientRootHits
        if signatures == .batch {
            #expect(recipientChecks == report.deliveriesReceived)
            #expect(report.signatures.recipientRootVerifications > 0)
            let routerRoots = try #require(report.signatures.routerRootVerifications)
            #expect(routerRoots > 0 && routerRoots <= router.received)
            // Every delivery a recipient took was receipted, and the router checked each receipt.
            #expect(report.signatures.routerReceiptsChecked == report.deliveriesReceived)
            let receiptRoots = try #require(report.signatures.routerReceiptRootVerifications)
            #expect(receiptRoots > 0 && receiptRoots <= report.deliveriesReceived)
            let writes = try #require(report.signatures.routerDeliveryWrites)
            #expect(writes > 0 && writes <= report.deliveriesReceived)
        } else {
            #expect(recipientChecks == 0)
            #expect(report.signatures.routerRootVerifications == 0)
            #expect(report.signatures.routerReceiptRootVerifications == 0)
        }
        #expect(report.answerLatencyMicroseconds["p99"] != nil)
        #expect(report.deliveryLatencyMicroseconds["p50"] != nil)
        #expect(report.thresholds.map(\.passed) == [false, true])
        #expect(!report.passed)
        #expect(report.csv.split(separator: "\n").count == report.series.count + 1)
        let json = try JSONSerialization.jsonObject(with: report.json()) as? [String: Any]
        #expect(json?["answer_latency_microseconds"] != nil)
    }

    @Test(
        "a node the router refuses (revoked) never connects: the traffic starts after the connection wait, the run ends on time, and the report says so; what was sent to it is lost, not hidden"
    )
    func nodeThatNeverConnects() async throws {
        var exercise = ExerciseConfiguration.builtIn()
        exercise.nodes = [.spoc(.be), .spoc(.fr), .spoc(.nl)]
        exercise.behaviours = [:]
        exercise.defaultBehaviour.ruleBreakingShare = 0
        exercise.router.revoked = [.spoc(.nl)]
        let configuration = LoadConfiguration(
            exercise: exercise,
            rate: 60,
            durationSeconds: 2,
            warmupSeconds: 0,
            drainSeconds: 3,
            bodyBytes: 200,
            thresholds: .init(maxLost: 0)
        )
        let report = try await Self.run(configuration)
        #expect(report.nodes.configured == 3)
        #expect(report.nodes.connected == 2)
        #expect(report.nodes.connectedAtEnd == 2)
        #expect(report.nodes.senders == 3)
        #expect(report.measured.sent > 0)
        #expect(report.unanswered == 0, "the nodes that connected had every message answered")
        // Messages to the Netherlands were accepted and wait at the router for a node that never comes.
        #expect(report.lost > 0)
        #expect(!report.passed)
    }

    @Test(
        "a load in which no node connects measured nothing, so it lost nothing only by sending nothing: it does not pass, and the report says why"
    )
    func noNodeConnects() async throws {
        var exercise = ExerciseConfiguration.builtIn()
        exercise.nodes = [.spoc(.be), .spoc(.fr)]
        exercise.behaviours = [:]
        exercise.router.revoked = [.spoc(.be), .spoc(.fr)]
        let configuration = LoadConfiguration(
            exercise: exercise,
            rate: 40,
            durationSeconds: 1,
            warmupSeconds: 0,
            drainSeconds: 1,
            bodyBytes: 200,
            thresholds: .init(maxLost: 0)
        )
        let report = try await Self.run(configuration)
        #expect(report.nodes.connected == 0)
        #expect(report.measured.sent == 0)
        #expect(report.lost == 0)
        #expect(!report.passed)
        #expect(
            report.text.contains(
                "Nothing was answered in the measured seconds (0/2 nodes connected at the start): a run that measured nothing passes no threshold"
            ),
            "\(report.text)"
        )
        #expect(report.text.hasSuffix("\nFAILED"))
        // Refused at the handshake, every attempt: the report names the first reason, and the run fails.
        let unreachable = try #require(report.nodes.unreachable)
        #expect(!unreachable.isEmpty)
        #expect(report.text.contains("No node connected to the router at in-process 127.0.0.1:"), "\(report.text)")
        #expect(report.text.contains(unreachable))
    }

    @Test("a load in which no node connects fails without thresholds too")
    func noNodeConnectsNoThresholds() async throws {
        var exercise = ExerciseConfiguration.builtIn()
        exercise.nodes = [.spoc(.be)]
        exercise.behaviours = [:]
        exercise.router.revoked = [.spoc(.be)]
        let report = try await Self.run(
            LoadConfiguration(
                exercise: exercise,
                rate: 10,
                durationSeconds: 1,
                warmupSeconds: 0,
                drainSeconds: 1,
                bodyBytes: 200
            )
        )
        #expect(report.thresholds.isEmpty)
        #expect(!report.passed)
        #expect(report.nodes.unreachable != nil)
        #expect(report.text.contains("No thresholds set"), "\(report.text)")
    }

    /// Runs a load with its own router in this process, logging nothing.
    private static func run(_ configuration: LoadConfiguration) async throws -> LoadReport {
        try await LoadRunner(
            configuration: configuration,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        ).run()
    }
}
