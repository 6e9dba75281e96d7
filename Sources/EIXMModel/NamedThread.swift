import Foundation

/// Starts the project's own threads (the router's, the audit and spool writers') under a name the kernel keeps, so
/// that `top -H` and `perf` tell them apart.
public enum NamedThread {
    /// Runs `body` on a new thread named `name`. Linux keeps at most 15 bytes of a name, and Foundation there does not
    /// pass on a name set before the thread starts: it is set from the thread itself.
    public static func start(_ name: String, _ body: @escaping @Sendable () -> Void) {
        let thread = Thread {
            Thread.current.name = String(name.utf8.prefix(15)) ?? "eixm"
            body()
        }
        thread.start()
    }
}
