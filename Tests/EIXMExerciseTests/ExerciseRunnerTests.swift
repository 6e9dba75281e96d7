import EIXMAudit
import EIXMCrypto
import EIXMExercise
import EIXMModel
import EIXMNodes
import EIXMRouter
import EIXMRules
import Foundation
import Logging
import Testing

@Suite("Exercises", .timeLimit(.minutes(2)))
struct ExerciseRunnerTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test(
        "a short exercise over mutual TLS: every node connects, traffic is judged, every accepted message reaches each addressee once"
    )
    func shortExercise() async throws {
        var configuration = ExerciseConfiguration.builtIn()
        configuration.nodes = [.spoc(.be), .spoc(.fr), .spoc(.nl), .spoc(.de), .europol, .frontex]
        configuration.durationSeconds = 3
        configuration.drainSeconds = 30
        configuration.behaviours = [:]
        configuration.defaultBehaviour.requestsPerHour = 6
        configuration.defaultBehaviour.ruleBreakingShare = 0.3
        let runner = ExerciseRunner(
            configuration: configuration,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        let (report, _, records) = try await runner.run()
        #expect(report.nodes.connected.count == 6)
        #expect(report.nodes.neverConnected.isEmpty)
        #expect(Set(records.keys) == Set(configuration.nodes))

        // The expectation comes from the senders, not the router: every message a sender was told was accepted,
        // judged again here by the rules engine in the order the senders wrote them, must have been acted on by each
        // of its addressees and each node the rules copy or notify; and nothing else may have been acted on.
        let engine = RulesEngine(configuration: configuration.rules)
        var context = CaseContext(capacity: configuration.router.contextMessages)
        let accepted = records.values.flatMap(\.acceptedHeaders).sorted {
            ($0.createdAt, $0.id.uuidString) < ($1.createdAt, $1.id.uuidString)
        }
        var expected: Set<Pair> = []
        var copies = 0
        for header in accepted {
            let decision = engine.decide(header, receivedAt: header.createdAt, context: context)
            #expect(
                decision.verdict == .accept,
                "\(header.id) was accepted although the rules reject it: \(decision.decisiveFirings.map(\.rule))"
            )
            context.record(header, decision: decision, receivedAt: header.createdAt)
            var targets = Set(header.recipients)
            for obligation in decision.obligations where obligation.kind == .copy || obligation.kind == .notify {
                if let node = obligation.to, node != header.sender, targets.insert(node).inserted { copies += 1 }
            }
            for node in targets where records[node] != nil { expected.insert(Pair(message: header.id, node: node)) }
        }
        let actedOn = Set(records.flatMap { node, record in record.actedOn.map { Pair(message: $0, node: node) } })
        #expect(accepted.count > 0)
        #expect(copies > 0, "the traffic had no rule copies to check")
        #expect(
            expected.subtracting(actedOn).isEmpty,
            "not acted on: \(expected.subtracting(actedOn).count) of \(expected.count)"
        )
        #expect(
            actedOn.subtracting(expected).isEmpty,
            "acted on without being accepted for it: \(actedOn.subtracting(expected).count)"
        )
        let rejectedBySenders = records.values.reduce(0) { $0 + $1.rejected }
        #expect(rejectedBySenders > 0)
        #expect(
            records.values.reduce(0) { $0 + $1.sent } == accepted.count + rejectedBySenders,
            "a message got no answer"
        )

        // The report agrees with the senders' and recipients' records.
        #expect(report.messages.accepted == accepted.count)
        #expect(report.messages.rejected == rejectedBySenders)
        #expect(report.delivery.expected == expected.count)
        #expect(report.delivery.actedOn == expected.count)
        #expect(report.delivery.actedOnTwice == 0)
        #expect(!report.rejectionsByRule.isEmpty)
        for (node, summary) in report.perNode {
            #expect(summary.answeredInTime + summary.answeredLate <= summary.answered, "\(node)")
            #expect(summary.answersReceived <= summary.requestsSent, "\(node)")
        }
        let json = try JSONSerialization.jsonObject(with: report.json()) as? [String: Any]
        #expect(json?["rejections_by_rule"] != nil)
    }

    /// One (message, recipient) pair.
    struct Pair: Hashable {
        let message: UUID
        let node: NodeID
    }

    @Test(
        "nodes: takes designated_authorities, spread over the taking-part states' SPOCs, as DESIGNATED_LEA of their state; a bad count names its key"
    )
    func designatedAuthorities() throws {
        let text = """
            name: authorities
            seed: 1
            time_scale: 60
            duration: 10s
            start: 2026-12-01T08:00:00Z
            nodes: [SPOC-BE, SPOC-FR, EUROPOL, {designated_authorities: 5}]
            """
        let configuration = try ExerciseConfiguration.load(yaml: text, file: "authorities.yaml")
        #expect(
            configuration.nodes.map(\.rawValue) == [
                "SPOC-BE", "SPOC-FR", "EUROPOL", "DLEA-BE-00001", "DLEA-FR-00001", "DLEA-BE-00002", "DLEA-FR-00002",
                "DLEA-BE-00003",
            ]
        )
        // The example file of the README's "At the scale of the real network".
        let example = try ExerciseConfiguration.load(
            path: Self.root.appendingPathComponent("configs/examples/authorities.yaml").path
        )
        #expect(example.nodes.count == 10_034)
        #expect(example.behaviour(of: try #require(NodeID("DLEA-PT-00100"))).signatures == .batch)
        let id = try #require(NodeID("DLEA-FR-00002"))
        let profile = try #require(configuration.rules.directory.profile(id))
        #expect(profile.kind == .designatedLea)
        #expect(profile.state == .fr)
        for (bad, key) in [
            ("{designated_authorities: 0}", "nodes.designated_authorities"), ("{authorities: 3}", "nodes.authorities"),
        ] {
            do {
                _ = try ExerciseConfiguration.load(
                    yaml: text.replacingOccurrences(of: "{designated_authorities: 5}", with: bad),
                    file: "a.yaml"
                )
                Issue.record("\(bad) was taken")
            } catch {
                #expect(error.problems.map(\.key).contains(key), "\(error)")
            }
        }
        do {
            _ = try ExerciseConfiguration.load(
                yaml: text.replacingOccurrences(of: "SPOC-BE, SPOC-FR, ", with: ""),
                file: "a.yaml"
            )
            Issue.record("authorities without a SPOC were taken")
        } catch {
            #expect(error.description.contains("need the SPOC of at least one member state"))
        }
    }

    @Test("signatures: is chosen per run (behaviour) and per node (overrides); a bad spelling names its key")
    func signatureModes() throws {
        let text = """
            name: signing
            seed: 1
            time_scale: 60
            duration: 10s
            start: 2026-12-01T08:00:00Z
            nodes: [SPOC-BE, SPOC-FR, EUROPOL]
            behaviour: {signatures: batch}
            overrides:
              SPOC-FR: {signatures: per_message}
            """
        let configuration = try ExerciseConfiguration.load(yaml: text, file: "signing.yaml")
        #expect(configuration.behaviour(of: .spoc(.be)).signatures == .batch)
        #expect(configuration.behaviour(of: .europol).signatures == .batch)
        #expect(configuration.behaviour(of: .spoc(.fr)).signatures == .perMessage)
        #expect(ExerciseConfiguration.builtIn().behaviour(of: .spoc(.be)).signatures == .perMessage)
        do {
            _ = try ExerciseConfiguration.load(
                yaml: text.replacingOccurrences(of: "per_message", with: "sometimes"),
                file: "signing.yaml"
            )
            Issue.record("signatures: sometimes was taken")
        } catch {
            #expect(error.problems.map(\.key) == ["overrides.SPOC-FR.signatures"])
            #expect(error.description.contains("per_message, batch"))
        }
    }

    @Test("configs/exercise.yaml and the scenario files are valid and are the ones built into the binary")
    func builtInConfigurations() throws {
        let files = [
            ("configs/exercise.yaml", ExerciseConfiguration.defaultYAML),
            ("configs/scenarios/tokyo.yaml", ExerciseConfiguration.scenarios["tokyo"]!),
            ("configs/scenarios/tokyo-outages.yaml", ExerciseConfiguration.scenarios["tokyo-outages"]!),
            ("configs/scenarios/indalo.yaml", ExerciseConfiguration.scenarios["indalo"]!),
            ("configs/scenarios/burgas.yaml", ExerciseConfiguration.scenarios["burgas"]!),
            ("configs/scenarios/asset-recovery.yaml", ExerciseConfiguration.scenarios["asset-recovery"]!),
        ]
        for (path, embedded) in files {
            let text = try String(contentsOf: Self.root.appendingPathComponent(path), encoding: .utf8)
            #expect(
                text.trimmingCharacters(in: .whitespacesAndNewlines)
                    == embedded.trimmingCharacters(in: .whitespacesAndNewlines),
                "run scripts/embed-configs.sh: \(path)"
            )
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

    @Test(
        "configs/examples/answering-nodes.yaml (chaos.sh, netns-exercise.sh): valid, on the default exercise's clock, and every request gets one reply"
    )
    func answeringNodes() throws {
        let nodes = try ExerciseConfiguration.load(
            path: Self.root.appendingPathComponent("configs/examples/answering-nodes.yaml").path
        )
        let standard = ExerciseConfiguration.builtIn()
        #expect(nodes.start == standard.start)
        #expect(nodes.timeScale == standard.timeScale)
        let behaviour = nodes.defaultBehaviour
        #expect(behaviour.requestsPerHour > 0 && behaviour.spontaneousPerHour == 0 && behaviour.ruleBreakingShare == 0)
        #expect(behaviour.refusalShare == 0 && behaviour.clarificationShare == 0 && behaviour.delayNoticeShare == 0)
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

    @Test(
        "a new exercise file needs only name, duration and nodes: seed, time_scale and start default to the built-in exercise's; given, a bad start is still named"
    )
    func minimalFile() throws {
        let text = """
            name: minimal
            duration: 5s
            nodes: [SPOC-BE, SPOC-FR]
            """
        let minimal = try ExerciseConfiguration.load(yaml: text, file: "minimal.yaml")
        let standard = ExerciseConfiguration.builtIn()
        #expect(minimal.seed == standard.seed)
        #expect(minimal.timeScale == 3600)
        #expect(minimal.start == standard.start)
        #expect(minimal.nodes == [.spoc(.be), .spoc(.fr)])
        do {
            _ = try ExerciseConfiguration.load(yaml: text + "\nstart: yesterday", file: "minimal.yaml")
            Issue.record("start: yesterday was taken")
        } catch {
            #expect(error.problems.map(\.key) == ["start"], "\(error)")
        }
        do {
            _ = try ExerciseConfiguration.load(yaml: "name: x\nduration: 5s", file: "minimal.yaml")
            Issue.record("a file without nodes was taken")
        } catch {
            #expect(error.problems.map(\.key) == ["nodes"], "\(error)")
        }
    }
}
