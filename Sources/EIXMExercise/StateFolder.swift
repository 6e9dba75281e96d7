import Foundation

/// Where a run keeps what a crash on purpose must survive (the router's audit log and spool, crashed nodes'
/// journals): the folder given, or, when the run's faults crash something and no folder was given, a temporary one
/// that `removeIfTemporary()` deletes at the end.
struct StateFolder {
    let url: URL?
    private let temporary: Bool

    /// `crashing`: the kinds of fault that need a folder to start again from; `needed`: the run needs one anyway (a
    /// script is scored from the audit log written there).
    init(given: URL?, faults: [Fault], crashing: Set<Fault.Kind>, needed: Bool = false) {
        let needed = given == nil && (needed || faults.contains { crashing.contains($0.kind) })
        url =
            given
            ?? (needed ? FileManager.default.temporaryDirectory.appendingPathComponent("eixm-run-\(UUID())") : nil)
        temporary = needed
    }

    func removeIfTemporary() {
        if temporary, let url { try? FileManager.default.removeItem(at: url) }
    }
}
