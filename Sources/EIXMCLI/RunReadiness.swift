import EIXMModel

/// What a command still waits for before `/readyz` says ready (listening, storage open, recovery done, traffic
/// started), in the order it was named.
final class RunReadiness: Sendable {
    private let waiting: Locked<[String]>

    init(waitingFor steps: [String]) { waiting = Locked(steps) }

    /// What is still missing; empty when ready.
    var missing: [String] { waiting.withLock { $0 } }

    /// `step` is done.
    func done(_ step: String) { waiting.withLock { $0.removeAll { $0 == step } } }
}
