import EIXMModel
import EIXMReport

/// The live view's page of a running exercise or load: the latest state, rendered when the run reports it each
/// second, served by the HTTP endpoint (a page saying the run is starting until the first state).
final class LivePage: Sendable {
    private let run: String
    private let html = Locked<String?>(nil)

    init(run: String) { self.run = run }

    /// The page to serve now.
    var current: String { html.withLock { $0 } ?? RunPage.waiting(for: run).html }

    /// The run's new state.
    func show(_ page: RunPage) {
        let rendered: String? = page.live(refreshingEvery: 1).html
        html.withLock { $0 = rendered }
    }
}
