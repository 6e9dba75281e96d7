import EIXMCrypto
import EIXMModel
import EIXMNodes
import EIXMRouter
import EIXMTransport

/// A load run's router (when started here) and nodes, as its faults see them. A load node has no journal: its crash
/// is played as its process would be seen from outside, its connection cut without a goodbye and nothing sent
/// while it is down; what it had sent and not had answered is sent again when it is back, as a node restarted on
/// its journal would (`eixm node --state`).
struct LoadFaultTarget: FaultTarget {
    let host: RouterHost?
    let nodes: [LoadNode]
    let changes: ChangeSignal

    private func node(_ id: NodeID) -> LoadNode? { nodes.first { $0.identity.nodeID == id } }

    var simulatedNow: Timestamp { nodes.first?.memory.clock.now ?? Timestamp(millisecondsSinceEpoch: 0) }

    func crashRouter() async { await host?.crash() }

    func restartRouter() async throws -> String {
        guard let host else { return "no router here to start again" }
        try await host.start()
        return await host.recoveries.last ?? "nothing to recover"
    }

    func crashNode(_ id: NodeID) async {
        guard let node = node(id), let network = node.network else { return }
        node.memory.isDown = true
        await network.partition()
    }

    func restartNode(_ id: NodeID) async throws {
        guard let node = node(id) else { return }
        node.network?.heal()
        node.memory.isDown = false
    }

    func network(of id: NodeID) -> PartitionableClient? { node(id)?.network }

    func onlineNodes() async -> Set<NodeID> {
        Set(nodes.filter { $0.session.statistics.connected }.map(\.identity.nodeID))
    }

    func sessions(_ ids: [NodeID]) async -> [RouterSession.Statistics] {
        ids.compactMap { node($0)?.session.statistics }
    }

    func backlog(of ids: [NodeID]) async -> (allOnline: Bool, waiting: Int) {
        let unanswered = ids.compactMap { node($0)?.session.unansweredCount }.reduce(0, +)
        // With a router elsewhere, the sessions say who is connected.
        guard let router = await host?.router else {
            return (ids.allSatisfy { node($0)?.session.statistics.connected == true }, unanswered)
        }
        let backlog = await router.backlog(of: ids)
        return (backlog.allOnline, backlog.waiting + unanswered)
    }

    func deadlinesBreached() async -> Int { await host?.statistics().deadlinesBreached.values.reduce(0, +) ?? 0 }
}
