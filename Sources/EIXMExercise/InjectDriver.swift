import EIXMModel
import EIXMScenario
import Foundation
import Logging

/// Plays a script's injects on the exercise's simulated clock: a node sends its scripted message, the router
/// revokes a certificate or changes its policy mode. (A node going offline is played by the faults, as a partition.)
struct InjectDriver: Sendable {
    let script: Script
    let start: Timestamp
    let clock: ScaledClock
    let crew: ExerciseCrew
    let host: RouterHost
    let logger: Logger
    let progress: @Sendable (String) -> Void

    /// Plays every inject at its time; returns when the last is played or the task is cancelled.
    func play() async {
        var sent: [String: UUID] = [:]
        for inject in script.injects {
            let at = inject.time(from: start)
            do { try await clock.sleep(until: at) } catch { return }
            switch inject.action {
            case .send(let from, let header, let body, let answering):
                let request = answering.flatMap { sent[$0] }
                guard let id = await crew.inject(header, body: body, from: from, inReplyTo: request) else {
                    logger.warning("inject not sent: its node is down", metadata: ["inject": "\(inject.name)"])
                    progress("inject \(inject.name) not sent: \(from) is down")
                    continue
                }
                sent[inject.name] = id
            case .revoke(let node):
                do {
                    try await host.revoke(node)
                } catch {
                    logger.error("inject not played", metadata: ["inject": "\(inject.name)", "reason": "\(error)"])
                    progress("inject \(inject.name) not played: \(error)")
                    continue
                }
            case .mode(let mode):
                await host.change(mode: mode)
            case .offline:
                continue
            }
            logger.info("inject played", metadata: ["inject": "\(inject.name)", "action": "\(inject.summary)"])
            progress("inject \(inject.name) at \(clock.now.rfc3339): \(inject.summary)")
        }
    }
}
