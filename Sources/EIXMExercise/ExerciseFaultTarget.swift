import EIXMModel
import EIXMNodes
import EIXMRouter
import EIXMTransport

/// An exercise's router and nodes, as its faults see them.
struct ExerciseFaultTarget: FaultTarget {
    let host: RouterHost
    let crew: ExerciseCrew
    let networks: [NodeID: PartitionableClient]
    let clock: ScaledClock

    var simulatedNow: Timestamp { clock.now }

    var changes: ChangeSignal { host.changes }

    func crashRouter() async { await host.crash() }

    func restartRouter() async throws -> String {
        try await host.start()
        return await host.recoveries.last ?? "nothing to recover"
    }

    func crashNode(_ id: NodeID) async { await crew.crash(id) }

    func restartNode(_ id: NodeID) async throws { try await crew.restart(id) }

    func network(of id: NodeID) -> PartitionableClient? { networks[id] }

    func onlineNodes() async -> Set<NodeID> { await host.router?.snapshot().onlineNodes ?? [] }

    func sessions(_ ids: [NodeID]) async -> [RouterSession.Statistics] {
        let records = await crew.snapshot()
        return ids.compactMap { records[$0]?.session }
    }

    func backlog(of ids: [NodeID]) async -> (allOnline: Bool, waiting: Int) {
        let router = await host.router?.backlog(of: ids) ?? (allOnline: false, waiting: 0)
        return (router.allOnline, router.waiting + (await crew.unacknowledged(at: ids)))
    }

    func deadlinesBreached() async -> Int { await host.statistics().deadlinesBreached.values.reduce(0, +) }
}
