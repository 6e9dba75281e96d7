import EIXMExercise
import EIXMModel
import EIXMRules
import Testing

@Suite("Fault plans")
struct FaultPlanTests {
    static let nodes: [NodeID] = [.spoc(.be), .spoc(.fr), .spoc(.mt), .europol]

    static func exercise(faults: String) -> String {
        """
        name: faults
        seed: 1
        time_scale: 3600
        duration: 20s
        start: 2026-11-29T08:00:00Z
        nodes: [SPOC-BE, SPOC-FR, SPOC-MT, EUROPOL]
        faults:
        \(faults)
        """
    }

    @Test("each kind of fault is read with its nodes, start, length and read delay, in the order they start")
    func readsEveryKind() throws {
        let configuration = try ExerciseConfiguration.load(
            yaml: Self.exercise(
                faults: """
                      - slow_node: {node: EUROPOL, at: 9h, for: 2h, read_delay: 150ms}
                      - router_crash: {at: 8h, down_for: 1h}
                      - partition: {nodes: [SPOC-MT, SPOC-BE], at: 4h, for: 6h}
                      - node_crash: {node: SPOC-FR, at: 90m, down_for: 30m}
                    """
            ),
            file: "faults.yaml"
        )
        #expect(
            configuration.faults == [
                Fault(kind: .nodeCrash, nodes: [.spoc(.fr)], atMilliseconds: 5_400_000, lengthMilliseconds: 1_800_000),
                Fault(
                    kind: .partition,
                    nodes: [.spoc(.mt), .spoc(.be)],
                    atMilliseconds: 14_400_000,
                    lengthMilliseconds: 21_600_000
                ),
                Fault(kind: .routerCrash, atMilliseconds: 28_800_000, lengthMilliseconds: 3_600_000),
                Fault(
                    kind: .slowNode,
                    nodes: [.europol],
                    atMilliseconds: 32_400_000,
                    lengthMilliseconds: 7_200_000,
                    readDelayMilliseconds: 150
                ),
            ]
        )
        // At x3600 a simulated hour is a real second.
        let window = configuration.faults[2].realWindow(timeScale: 3600)
        #expect(window.start == .seconds(8) && window.end == .seconds(9))
        #expect("\(configuration.faults[0])" == "node_crash SPOC-FR at +90m for 30m")
    }

    @Test(
        "a bad fault is a problem naming its item, key and line",
        arguments: [
            ("  - reboot: {at: 1h, for: 1h}", "faults[0].reboot", "unknown key"),
            (
                "  - {partition: {nodes: [SPOC-MT], at: 1h, for: 1h}, slow_node: {node: SPOC-BE, at: 1h, for: 1h, read_delay: 1s}}",
                "faults[0]", "one fault per item"
            ),
            ("  - {}", "faults[0]", "expected a fault"),
            (
                "  - node_crash: {node: SPOC-XX, at: 1h, down_for: 1h}", "faults[0].node_crash.node",
                "not a node of this run"
            ),
            ("  - node_crash: {node: SPOC-FR, at: 1h}", "faults[0].node_crash.down_for", "required key is missing"),
            (
                "  - partition: {nodes: [SPOC-MT, SPOC-MT], at: 1h, for: 1h}", "faults[0].partition.nodes",
                "listed twice"
            ),
            ("  - partition: {nodes: [], at: 1h, for: 1h}", "faults[0].partition.nodes", "at least one node"),
            (
                "  - partition: {nodes: [SPOC-MT], at: 1h, for: 0s}", "faults[0].partition.for",
                "not a positive duration"
            ),
            (
                "  - slow_node: {node: SPOC-MT, at: 1h, for: 1h, read_delay: 0ms}", "faults[0].slow_node.read_delay",
                "not a positive duration"
            ),
            ("  - router_crash: {at: soon, down_for: 1h}", "faults[0].router_crash.at", "duration"),
            ("  - router_crash: {at: 21h, down_for: 1h}", "faults[0]", "starts after the traffic ends"),
            (
                "  - router_crash: {at: 1h, down_for: 2h}\n  - router_crash: {at: 2h, down_for: 1h}", "faults[1]",
                "overlaps"
            ),
            (
                "  - partition: {nodes: [SPOC-MT], at: 1h, for: 2h}\n  - partition: {nodes: [SPOC-BE, SPOC-MT], at: 2h, for: 1h}",
                "faults[1]", "overlaps"
            ),
        ]
    )
    func badFault(item: String, key: String, message: String) throws {
        do {
            _ = try ExerciseConfiguration.load(yaml: Self.exercise(faults: item), file: "faults.yaml")
            Issue.record("loaded: \(item)")
        } catch {
            let problem = error.problems.first { $0.key == key }
            #expect(problem != nil, "problems: \(error.problems)")
            #expect(problem?.message.contains(message) == true, "\(problem?.message ?? "")")
            #expect(problem?.line ?? 0 >= 8, "the line of the faults")
        }
    }

    @Test("faults of different kinds may overlap on one node: a crash during a partition")
    func differentKindsOverlap() throws {
        let configuration = try ExerciseConfiguration.load(
            yaml: Self.exercise(
                faults: """
                      - partition: {nodes: [SPOC-MT], at: 1h, for: 4h}
                      - node_crash: {node: SPOC-MT, at: 2h, down_for: 1h}
                      - router_crash: {at: 2h, down_for: 1h}
                    """
            ),
            file: "faults.yaml"
        )
        #expect(configuration.faults.count == 3)
    }

    @Test("--fault options read like items of faults:, and a bad one names the option")
    func faultOptions() throws {
        let faults = try Fault.parse(
            options: [
                "router_crash: {at: 5s, down_for: 2s}",
                "{slow_node: {node: EUROPOL, at: 1s, for: 3s, read_delay: 50ms}}",
            ],
            nodes: Self.nodes,
            trafficMilliseconds: 10_000
        )
        // In the order they start.
        #expect(faults.map(\.kind) == [.slowNode, .routerCrash])
        #expect(faults[1].realWindow(timeScale: 1).end == .seconds(7))
        do {
            _ = try Fault.parse(
                options: ["router_crash: {at: 5s, down_for: 2s}", "partition: {nodes: [SPOC-XX], at: 1s, for: 1s}"],
                nodes: Self.nodes,
                trafficMilliseconds: 10_000
            )
            Issue.record("an unknown node was taken")
        } catch {
            #expect(error.problems.map(\.file) == ["--fault"])
            #expect(error.problems.first?.key == "--fault 2.partition.nodes")
        }
        do {
            _ = try Fault.parse(
                options: ["router_crash: {at: 12s, down_for: 2s}"],
                nodes: Self.nodes,
                trafficMilliseconds: 10_000
            )
            Issue.record("a fault after the traffic was taken")
        } catch {
            #expect(error.problems.first?.message.contains("starts after the traffic ends") == true)
        }
    }
}
