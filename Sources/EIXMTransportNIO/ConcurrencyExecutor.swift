import NIOCore
import NIOPosix

/// Runs Swift Concurrency's jobs on NIO's event-loop threads, so that a frame read by NIO and the task that
/// handles it need no thread hop. Call once, first thing in `main`, on the main thread.
public enum ConcurrencyExecutor {
    @discardableResult
    public static func adoptEventLoops() -> Bool {
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    }
}
