import EIXMAudit
import EIXMExercise
import EIXMModel
import EIXMNodes
import EIXMRouter
import EIXMRules
import Foundation
import Logging
import Testing

@Suite("Exercises")
struct ExerciseRunnerTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test("a short exercise over mutual TLS: every node connects, traffic is judged, every accepted message reaches each addressee once")
    func shortExercise() async throws {
        var configuration = ExerciseConfiguration.builtIn()
        configuration.nodes = [.spoc(.be), .spoc(.fr), .spoc(.nl), .spoc(.de), .europol, .frontex]
        configuration.durationSeconds = 3
        configuration.drainSeconds = 30
        configuration.behaviours = [:]
        configuration.defaultBehaviour.requestsPerHour = 6
        configuration.defaultBehaviour.ruleBreakingShare = 0.3
        let runner = ExerciseRunner(configuration: configuration, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        let (report, audit) = try await runner.run()
        #expect(report.nodes.connected.count == 6)
        #expect(report.nodes.neverConnected.isEmpty)
        #expect(report.messages.accepted > 0)
        #expect(report.messages.rejected > 0)
        #expect(!report.rejectionsByRule.isEmpty)
        #expect(report.delivery.expected > 0)
        #expect(report.delivery.actedOn == report.delivery.expected, "lost: \(report.delivery.notActedOn)")
        #expect(report.delivery.actedOnTwice == 0)
        for (node, summary) in report.perNode {
            #expect(summary.answeredInTime + summary.answeredLate <= summary.answered, "\(node)")
            #expect(summary.answersReceived <= summary.requestsSent, "\(node)")
        }
        #expect(report.perNode.values.reduce(0) { $0 + $1.requestsSent } > 0)
        #expect(audit.contains { $0.kind == .accepted })
        #expect(audit.filter { $0.kind == .rejected }.count == report.messages.rejected)
        let json = try JSONSerialization.jsonObject(with: report.json()) as? [String: Any]
        #expect(json?["rejectionsByRule"] != nil)
    }

    @Test("configs/exercise.yaml and the scenario files are valid and are the ones built into the binary")
    func builtInConfigurations() throws {
        let files = [
            ("configs/exercise.yaml", ExerciseConfiguration.defaultYAML),
            ("configs/scenarios/tokyo.yaml", ExerciseConfiguration.scenarios["tokyo"]!),
            ("configs/scenarios/indalo.yaml", ExerciseConfiguration.scenarios["indalo"]!),
        ]
        for (path, embedded) in files {
            let text = try String(contentsOf: Self.root.appendingPathComponent(path), encoding: .utf8)
            #expect(text.trimmingCharacters(in: .whitespacesAndNewlines) == embedded.trimmingCharacters(in: .whitespacesAndNewlines), "run scripts/embed-configs.sh: \(path)")
            _ = try ExerciseConfiguration.load(yaml: text, file: path)
        }
        let standard = ExerciseConfiguration.builtIn()
        #expect(standard.nodes.count == 34)
        #expect(standard.timeScale == 3600)
        #expect(standard.router.contextMessages == 250_000)
        #expect(standard.router.rememberedMessages == 1_000_000)
        #expect(standard.behaviour(of: .spoc(.mt)).offline == [4...9])
        let tokyo = try ExerciseConfiguration.load(yaml: ExerciseConfiguration.scenarios["tokyo"]!, file: "tokyo")
        #expect(tokyo.nodes.contains(NodeID("UK-NCA")!))
    }

    @Test("a bad exercise file is reported by key and line")
    func badConfiguration() throws {
        let text = ExerciseConfiguration.defaultYAML
            .replacingOccurrences(of: "time_scale: 3600", with: "time_scale: fast")
            .replacingOccurrences(of: "context_messages: 250000", with: "context_messages: 0")
            .replacingOccurrences(of: "  refusal_share: 0.1", with: "  refusal_share: 2")
            .replacingOccurrences(of: "nodes: default", with: "nodes: [SPOC-BE, NOBODY]")
        do {
            _ = try ExerciseConfiguration.load(yaml: text, file: "bad.yaml")
            Issue.record("a bad file loaded")
        } catch {
            let keys = Set(error.problems.map(\.key))
            #expect(keys.contains("time_scale"))
            #expect(keys.contains("behaviour.refusal_share"))
            #expect(keys.contains("nodes"))
            #expect(keys.contains("router.context_messages"))
            #expect(error.problems.allSatisfy { $0.line > 0 })
        }
    }
}
