import EIXMModel
import EIXMNodes
import Foundation

/// The nodes of an exercise, each running in a task of its own, so that a fault can drop one (as a crash would: no
/// goodbye, nothing it had not written to its journal kept) and start it again from its journal. Keeps the counts
/// of every life of every node.
actor ExerciseCrew {
    /// Makes a node's next life (`life` 0 is the first).
    typealias Maker = @Sendable (_ node: NodeID, _ life: Int) throws -> ExerciseNode

    private let make: Maker
    private let trafficEnd: Timestamp
    private let connectedUntil: Timestamp
    private var nodes: [NodeID: ExerciseNode] = [:]
    private var tasks: [NodeID: Task<Void, Never>] = [:]
    private var lives: [NodeID: Int] = [:]
    private var earlier: [NodeID: NodeStatistics] = [:]
    private var trafficStopped = false

    init(nodes: [NodeID], trafficEnd: Timestamp, connectedUntil: Timestamp, make: @escaping Maker) throws {
        self.make = make
        self.trafficEnd = trafficEnd
        self.connectedUntil = connectedUntil
        for id in nodes { self.nodes[id] = try make(id, 0) }
    }

    /// Starts every node.
    func start() {
        for node in nodes.values { launch(node) }
    }

    private func launch(_ node: ExerciseNode) {
        let (trafficEnd, connectedUntil) = (trafficEnd, connectedUntil)
        tasks[node.nodeID] = Task { await node.run(trafficUntil: trafficEnd, until: connectedUntil) }
    }

    /// Returns once each of `ids` has been welcomed by the router at least once (or has stopped trying without a
    /// WELCOME), or after `seconds`, whichever comes first.
    func waitForFirstWelcome(_ ids: [NodeID], seconds: Double) async {
        let waiting = ids.compactMap { nodes[$0] }
        await withTaskGroup(of: Bool.self) { group in
            for node in waiting {
                group.addTask {
                    _ = await node.firstConnection()
                    return true
                }
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(seconds))
                return false
            }
            var left = waiting.count
            while left > 0, let welcomed = await group.next(), welcomed { left -= 1 }
            group.cancelAll()
        }
    }

    /// Drops a node without any shutdown work; returns once its task has ended.
    func crash(_ id: NodeID) async {
        guard let node = nodes.removeValue(forKey: id), let task = tasks.removeValue(forKey: id) else { return }
        task.cancel()
        await task.value
        let statistics = await node.snapshot()
        earlier[id] = earlier[id].map { statistics.following($0) } ?? statistics
    }

    /// Starts a crashed node again (from its journal).
    func restart(_ id: NodeID) async throws {
        guard nodes[id] == nil else { return }
        let life = lives[id, default: 0] + 1
        lives[id] = life
        let node = try make(id, life)
        if trafficStopped { await node.stopTraffic() }
        nodes[id] = node
        launch(node)
    }

    /// Has a node send a scripted message; `nil` when the node is down (crashed), and the inject is lost.
    func inject(_ header: Header, body: String, from id: NodeID, inReplyTo: UUID?) async -> UUID? {
        await nodes[id]?.inject(header, body: body, inReplyTo: inReplyTo)
    }

    /// No new traffic from any node (those started later included).
    func stopTraffic() async {
        trafficStopped = true
        for node in nodes.values { await node.stopTraffic() }
    }

    /// Messages the router has not answered, at every running node.
    func unacknowledged() -> Int { nodes.values.reduce(0) { $0 + $1.unacknowledgedCount } }

    /// Messages the router has not answered, at these nodes.
    func unacknowledged(at ids: [NodeID]) -> Int { ids.compactMap { nodes[$0]?.unacknowledgedCount }.reduce(0, +) }

    /// Each node's counts over all its lives.
    func snapshot() async -> [NodeID: NodeStatistics] {
        var result = earlier
        for (id, node) in nodes {
            let now = await node.snapshot()
            result[id] = earlier[id].map { now.following($0) } ?? now
        }
        return result
    }

    /// Stops every node and waits for their tasks.
    func end() async {
        for task in tasks.values { task.cancel() }
        for task in tasks.values { await task.value }
    }
}
