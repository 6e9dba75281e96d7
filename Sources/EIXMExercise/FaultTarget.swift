import EIXMModel
import EIXMNodes
import EIXMTransport

/// What faults act on and measure: the router and the nodes of an exercise or of a load run.
protocol FaultTarget: Sendable {
    /// The run's simulated time now.
    var simulatedNow: Timestamp { get }
    /// Drops the router without any shutdown work.
    func crashRouter() async
    /// Starts the router again from its folder; returns what it recovered, in words.
    func restartRouter() async throws -> String
    /// Drops a node without any shutdown work.
    func crashNode(_ id: NodeID) async
    /// Starts a crashed node again (from its journal).
    func restartNode(_ id: NodeID) async throws
    /// The node's network, which a partition cuts and a slow link delays.
    func network(of id: NodeID) -> PartitionableClient?
    /// The nodes connected to the router now.
    func onlineNodes() async -> Set<NodeID>
    /// The nodes' sessions, over all their lives.
    func sessions(_ ids: [NodeID]) async -> [RouterSession.Statistics]
    /// Whether every one of these nodes is connected to the router, and how many messages are held up for them:
    /// unanswered at the nodes, plus deliveries waiting at the router.
    func backlog(of ids: [NodeID]) async -> (allOnline: Bool, waiting: Int)
    /// Deadlines the router has counted as breached so far, over all its lives.
    func deadlinesBreached() async -> Int
    /// Told when the router's queues change, a node connects or leaves, or a node is answered: what ``backlog(of:)``
    /// reads.
    var changes: ChangeSignal { get }
}
