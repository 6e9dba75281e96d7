import EIXMModel
import EIXMNodes
import EIXMRouter
import EIXMRules
import EIXMScenario
import EIXMTransport
import Foundation

/// Everything an exercise needs: which nodes take part and how they behave, how fast simulated time runs, how
/// long the exercise lasts, the router's limits and the rules. Read from YAML (`ExerciseConfiguration+YAML.swift`);
/// `configs/exercise.yaml` is built into the binary as the default.
public struct ExerciseConfiguration: Sendable {
    public var name: String
    public var seed: UInt64
    /// Simulated seconds per real second (3600: a real second is a simulated hour).
    public var timeScale: Double
    /// Real duration of the exercise's traffic, in seconds.
    public var durationSeconds: Double
    /// Real seconds to wait after the traffic stops for deliveries and answers in flight.
    public var drainSeconds: Double
    /// The simulated time at which the exercise starts.
    public var start: Timestamp
    /// The nodes taking part (the router is implied).
    public var nodes: [NodeID]
    public var router: RouterConfiguration
    /// The rules; `mode` may override the file's policy mode.
    public var rules: RulesConfiguration
    public var defaultBehaviour: NodeBehaviour
    public var behaviours: [NodeID: NodeBehaviour]
    /// Faults made to happen during the run (`faults:`), in the order they start.
    public var faults: [Fault]
    /// The scenario's script: injects played on their schedule and the actions expected of the players (scored at
    /// the end from the audit log).
    public var script: Script

    public init(
        name: String,
        seed: UInt64,
        timeScale: Double,
        durationSeconds: Double,
        drainSeconds: Double,
        start: Timestamp,
        nodes: [NodeID],
        router: RouterConfiguration,
        rules: RulesConfiguration,
        defaultBehaviour: NodeBehaviour,
        behaviours: [NodeID: NodeBehaviour],
        faults: [Fault] = [],
        script: Script = Script()
    ) {
        self.name = name
        self.seed = seed
        self.timeScale = timeScale
        self.durationSeconds = durationSeconds
        self.drainSeconds = drainSeconds
        self.start = start
        self.nodes = nodes
        self.router = router
        self.rules = rules
        self.defaultBehaviour = defaultBehaviour
        self.behaviours = behaviours
        self.faults = faults.sorted { $0.atMilliseconds < $1.atMilliseconds }
        self.script = script
    }

    /// The behaviour of one node: its override, or the default.
    public func behaviour(of node: NodeID) -> NodeBehaviour { behaviours[node] ?? defaultBehaviour }

    /// The most connections the router accepts at once (`router.max_connections`).
    public var maxRouterConnections: Int { router.connectionLimits.maxConnections }

    /// The simulated time at which traffic stops.
    public var end: Timestamp { start.adding(seconds: Int64(durationSeconds * timeScale)) }
}
