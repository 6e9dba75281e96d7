import EIXMAudit
import EIXMExercise
import EIXMModel
import EIXMNodes
import EIXMRouter
import EIXMTestKit
import Foundation
import Logging
import Testing

@Suite("Faults on purpose", .timeLimit(.minutes(3)))
struct FaultRunTests {
    static let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    @Test(
        "an exercise over mutual TLS with a slow node, a partition, a router crash and a node crash: every accepted message reaches its addressees, nothing is acted on twice, the audit log of both router lives verifies, and the report's timeline says what each fault cost"
    )
    func exerciseWithFaults() async throws {
        var configuration = ExerciseConfiguration.builtIn()
        configuration.nodes = [.spoc(.be), .spoc(.fr), .spoc(.nl), .spoc(.de), .spoc(.mt), .europol]
        // Long enough after the last fault for every node to be back: a session waits up to 3 s between attempts
        // (2 s doubled backoff, jitter up to 1.5), and Malta's partition ends inside the router's crash.
        configuration.durationSeconds = 8
        configuration.drainSeconds = 30
        configuration.behaviours = [:]
        configuration.defaultBehaviour.requestsPerHour = 8
        configuration.defaultBehaviour.offline = []
        configuration.router.heartbeatMilliseconds = 200
        configuration.faults = [
            Fault(
                kind: .slowNode,
                nodes: [.spoc(.nl)],
                atMilliseconds: 3_600_000,
                lengthMilliseconds: 3_600_000,
                readDelayMilliseconds: 100
            ),
            Fault(kind: .partition, nodes: [.spoc(.mt)], atMilliseconds: 3_600_000, lengthMilliseconds: 7_200_000),
            Fault(kind: .routerCrash, atMilliseconds: 9_000_000, lengthMilliseconds: 3_600_000),
            Fault(kind: .nodeCrash, nodes: [.spoc(.fr)], atMilliseconds: 14_400_000, lengthMilliseconds: 3_600_000),
        ]
        try await TemporaryDirectory.with { folder in
            let runner = ExerciseRunner(configuration: configuration, logger: Self.quiet)
            let (report, audit, records) = try await runner.run(folder: folder)

            // From the nodes' own records: every message sent was answered (none lost in the router crash), every
            // addressee of every accepted message acted on it, and no node acted on a message twice (the French
            // SPOC across its crash included).
            let sent = records.values.reduce(0) { $0 + $1.sent }
            let answered = records.values.reduce(0) { $0 + $1.accepted + $1.rejected }
            #expect(
                sent > 0 && answered == sent,
                "sent \(sent), answered \(answered): \(records.filter { $0.value.sent != $0.value.accepted + $0.value.rejected }.map { "\($0.key) \($0.value.sent)/\($0.value.accepted)+\($0.value.rejected) resent \($0.value.session.resent)" })"
            )
            var missing = 0
            for header in records.values.flatMap(\.acceptedHeaders) {
                // Addressees outside the exercise (a third country's authority) never come.
                for node in header.recipients where records[node].map({ !$0.actedOn.contains(header.id) }) ?? false {
                    missing += 1
                }
            }
            #expect(missing == 0)
            for (node, record) in records {
                let acts = record.actedOnTimes.map(\.message)
                #expect(Set(acts).count == acts.count, "\(node) acted on a message twice")
            }
            #expect((records[.spoc(.fr)]?.session.connections ?? 0) >= 2)
            #expect((records[.spoc(.mt)]?.session.connections ?? 0) >= 2)

            // Both lives of the router wrote one chain, and the second says what it restored.
            let verification = try AuditVerifier.verify(directory: folder.appendingPathComponent("audit"))
            #expect(verification.problem == nil, "\(verification)")
            #expect(audit.contains { $0.kind == .restored })

            #expect(report.faults.map(\.kind) == ["slow_node", "partition", "router_crash", "node_crash"])
            for fault in report.faults {
                #expect(fault.recoveredAfterSeconds != nil, "\(fault.fault) did not recover")
                #expect(fault.endedAtSeconds > fault.startedAtSeconds)
            }
            let crash = report.faults[2]
            // Every node connected at the crash comes back: all but Malta (partitioned then) when the machine keeps up;
            // on a loaded one a node may have lost its 1 s idle-timeout connection just before (CI saw 4 of 5 once),
            // so the count is of the nodes the crash struck.
            #expect(!crash.struck.isEmpty, "\(report.text)")
            #expect(crash.reconnects >= crash.struck.count, "every node connected at the crash comes back")
            #expect(crash.recovered?.contains("restored") == true, "\(crash.recovered ?? "")")
            #expect(report.routerRestarts.count == 1)
            #expect(report.faults[1].reconnects >= 1)
            #expect(report.text.contains("Faults (real seconds after the start of the traffic):"))
        }
    }

    @Test(
        "a load over mutual TLS through a router crash, a node crash and a partition loses nothing and passes --max-lost 0; the report counts the reconnects and times the faults"
    )
    func loadWithFaults() async throws {
        var exercise = ExerciseConfiguration.builtIn()
        exercise.nodes = [.spoc(.be), .spoc(.fr), .spoc(.nl), .spoc(.mt), .europol]
        exercise.behaviours = [:]
        exercise.defaultBehaviour.offline = []
        // 500 ms: a 2.5 s idle timeout. With 200 ms (1 s), at the start of the suite, when every test competes for the
        // same two cores, a node's heartbeats can come more than a second apart, and the router rightly closes it as
        // silent (seen in full runs with debug logs). The fresh-clone CI also saw no node connect for 15-19 s: the
        // router closed each connection as idle while its own WELCOME was still to be written, fixed since (the idle
        // check waits for a frame each way, ConnectionLimitTests).
        exercise.router.heartbeatMilliseconds = 500
        let faults = try Fault.parse(
            options: [
                "router_crash: {at: 1500ms, down_for: 1s}",
                "node_crash: {node: SPOC-FR, at: 3s, down_for: 1s}",
                "partition: {nodes: [SPOC-MT], at: 1s, for: 2s}",
            ],
            nodes: exercise.nodes,
            trafficMilliseconds: 5000
        )
        let configuration = LoadConfiguration(
            exercise: exercise,
            rate: 150,
            durationSeconds: 5,
            warmupSeconds: 0,
            drainSeconds: 30,
            bodyBytes: 200,
            thresholds: .init(maxLost: 0),
            faults: faults
        )
        try await TemporaryDirectory.with { folder in
            let report = try await LoadRunner(configuration: configuration, logger: Self.quiet).run(
                target: .inProcess(folder: folder)
            )
            #expect(report.lost == 0)
            #expect(report.unanswered == 0)
            #expect(report.refusedAsDuplicate == 0)
            #expect(report.passed)
            #expect(report.faults.map(\.kind) == ["partition", "router_crash", "node_crash"])
            let crash = try #require(report.faults.first { $0.kind == "router_crash" })
            #expect(crash.reconnects >= crash.struck.count, "every node struck comes back: \(report.text)")
            #expect(report.text.contains("struck \(crash.struck.count) connected node(s)"))
            // Connected before the traffic began (on one starved core they may not be within the runner's wait, and
            // the crash then strikes fewer), the crash strikes every node but the one partitioned then.
            if report.nodes.connected == exercise.nodes.count {
                #expect(crash.struck.count >= exercise.nodes.count - 1, "\(report.text)")
                #expect(report.nodes.reconnects >= exercise.nodes.count, "\(report.text)")
            }
            #expect(report.nodes.connectedAtEnd == exercise.nodes.count, "\(report.text)")
            #expect(
                report.faults.allSatisfy { $0.recoveredAfterSeconds != nil },
                "\(report.faults.map { "\($0.fault): recovered after \($0.recoveredAfterSeconds.map { "\($0) s" } ?? "never")" })"
            )
            let verification = try AuditVerifier.verify(directory: folder.appendingPathComponent("audit"))
            #expect(verification.problem == nil, "\(verification)")
        }
    }
}
