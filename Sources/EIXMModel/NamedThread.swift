import Foundation

/// Starts the project's own threads (the router's, the audit and spool writers') under a name the kernel keeps, so
/// that `top -H` and `perf` tell them apart.
public enum NamedThread {
    /// Runs `body` on a new thread named `name` (Linux keeps at most 15 bytes of it). The thread names itself through
    /// `/proc/thread-self/comm`: Foundation's `Thread.name` setter does nothing when the new thread runs before
    /// `start()` has stored its handle, and the thread then keeps the name of the thread that created it.
    public static func start(_ name: String, _ body: @escaping @Sendable () -> Void) {
        let kept = String(name.utf8.prefix(15)) ?? "eixm"
        let thread = Thread {
            nameCurrentThread(kept)
            body()
        }
        thread.start()
    }

    private static func nameCurrentThread(_ name: String) {
        let descriptor = open("/proc/thread-self/comm", O_WRONLY)
        guard descriptor >= 0 else {
            Thread.current.name = name
            return
        }
        defer { close(descriptor) }
        _ = Array(name.utf8).withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    }
}
