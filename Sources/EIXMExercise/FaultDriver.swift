import EIXMModel
import EIXMNodes
import EIXMTransport
import Foundation
import Logging

/// Plays a run's faults on their schedule and measures what each cost: each fault starts at its time after the start
/// of the traffic, ends after its length (the router or node started again, the partition healed, the link fast
/// again), and is then watched until the nodes it struck are back with nothing held up.
actor FaultDriver {
    /// A fault as it happened.
    struct Played: Sendable {
        var outcome: FaultOutcome
        let fault: Fault
        /// The nodes it struck: its nodes, or for a router crash those connected when it started.
        let struck: [NodeID]
        let simulatedStart: Timestamp
        let simulatedEnd: Timestamp
    }

    private let faults: [Fault]
    private let timeScale: Double
    private let target: any FaultTarget
    private let logger: Logger
    private var played: [Int: Played] = [:]
    private var watches: [Task<Void, Never>] = []
    /// Reports each fault as it starts and ends.
    private let progress: @Sendable (String) -> Void

    init(
        faults: [Fault],
        timeScale: Double,
        target: any FaultTarget,
        logger: Logger,
        progress: @escaping @Sendable (String) -> Void
    ) {
        self.faults = faults
        self.timeScale = timeScale
        self.target = target
        self.logger = logger
        self.progress = progress
    }

    /// Plays every fault from `begin` (the start of the traffic); returns once each has ended, or at once for those
    /// not started when the task is cancelled (a fault under way then ends at once).
    func play(from begin: ContinuousClock.Instant) async {
        await withTaskGroup(of: Void.self) { group in
            for (index, fault) in faults.enumerated() {
                group.addTask { await self.play(fault, index: index, from: begin) }
            }
        }
    }

    /// Stops watching for recoveries and returns the faults as they happened, in the order they were planned.
    func finish() async -> [Played] {
        for watch in watches { watch.cancel() }
        for watch in watches { await watch.value }
        return played.keys.sorted().compactMap { played[$0] }
    }

    private func play(_ fault: Fault, index: Int, from begin: ContinuousClock.Instant) async {
        let window = fault.realWindow(timeScale: timeScale)
        do { try await Task.sleep(until: begin + window.start) } catch { return }
        let startedAt = ContinuousClock.now
        let simulatedStart = target.simulatedNow
        let struck =
            fault.kind == .routerCrash
            ? Array(await target.onlineNodes()).sorted { $0.rawValue < $1.rawValue } : fault.nodes
        let sessionsBefore = await target.sessions(struck)
        let breachedBefore = await target.deadlinesBreached()
        progress("fault: \(fault) starts")
        logger.notice("fault starts", metadata: ["fault": "\(fault)"])
        switch fault.kind {
        case .routerCrash: await target.crashRouter()
        case .nodeCrash: for id in fault.nodes { await target.crashNode(id) }
        case .partition: for id in fault.nodes { await target.network(of: id)?.partition() }
        case .slowNode:
            for id in fault.nodes {
                target.network(of: id)?.slowReads(by: .milliseconds(fault.readDelayMilliseconds ?? 0))
            }
        }
        try? await Task.sleep(until: begin + window.end)
        var recovered: String?
        do {
            switch fault.kind {
            case .routerCrash: recovered = try await target.restartRouter()
            case .nodeCrash: for id in fault.nodes { try await target.restartNode(id) }
            case .partition: for id in fault.nodes { target.network(of: id)?.heal() }
            case .slowNode: for id in fault.nodes { target.network(of: id)?.slowReads(by: nil) }
            }
        } catch {
            recovered = "could not start again: \(error)"
            logger.error("a fault could not be ended", metadata: ["fault": "\(fault)", "reason": "\(error)"])
        }
        let endedAt = ContinuousClock.now
        let waiting = await target.backlog(of: struck).waiting
        progress("fault: \(fault) ends; \(waiting) message(s) held up")
        played[index] = Played(
            outcome: FaultOutcome(
                fault: "\(fault)",
                kind: fault.kind.rawValue,
                nodes: fault.nodes.map(\.rawValue),
                struck: struck.map(\.rawValue),
                startedAtSeconds: ExerciseRunner.seconds(startedAt - begin),
                endedAtSeconds: ExerciseRunner.seconds(endedAt - begin),
                simulatedStart: simulatedStart.rfc3339,
                simulatedEnd: target.simulatedNow.rfc3339,
                waitingWhenItEnded: waiting,
                resends: 0,
                reconnects: 0,
                deadlinesBreached: 0,
                recoveredAfterSeconds: nil,
                recovered: recovered
            ),
            fault: fault,
            struck: struck,
            simulatedStart: simulatedStart,
            simulatedEnd: target.simulatedNow
        )
        watches.append(
            Task {
                await self.watch(index, from: endedAt, sessionsBefore: sessionsBefore, breachedBefore: breachedBefore)
            }
        )
    }

    /// Waits until the struck nodes are connected with nothing held up (or the watch is cancelled at the end of the
    /// run), then counts what happened since the fault started.
    private func watch(
        _ index: Int,
        from endedAt: ContinuousClock.Instant,
        sessionsBefore: [RouterSession.Statistics],
        breachedBefore: Int
    ) async {
        guard let struck = played[index]?.struck else { return }
        let target = self.target
        // Looks again each time the router or a node says something changed, until recovered or cancelled at the end
        // of the run; then, if not seen recovered, last looks for up to a second (a busy machine schedules this task
        // late, and a node may be between two connections at that very moment: an idle connection closed and made
        // again); recovered by then means recovered, and the time is then an upper bound. The last looks run in a
        // task of their own, which the end of the run does not cancel.
        func recovered(until deadline: ContinuousClock.Instant) async -> Double? {
            while true {
                let version = target.changes.version
                let backlog = await target.backlog(of: struck)
                if backlog.allOnline, backlog.waiting == 0 {
                    return ExerciseRunner.seconds(ContinuousClock.now - endedAt)
                }
                guard await target.changes.wait(after: version, until: deadline) else { return nil }
            }
        }
        var recoveredAfter = await recovered(until: .now + .seconds(365 * 86_400))
        if recoveredAfter == nil {
            recoveredAfter = await Task { await recovered(until: .now + .seconds(1)) }.value
        }
        let sessionsAfter = await target.sessions(struck)
        let breached = await target.deadlinesBreached() - breachedBefore
        played[index]?.outcome.recoveredAfterSeconds = recoveredAfter
        played[index]?.outcome.resends =
            sessionsAfter.reduce(0) { $0 + $1.resent } - sessionsBefore.reduce(0) { $0 + $1.resent }
        played[index]?.outcome.reconnects =
            sessionsAfter.reduce(0) { $0 + $1.reconnects } - sessionsBefore.reduce(0) { $0 + $1.reconnects }
        played[index]?.outcome.deadlinesBreached = breached
    }
}
