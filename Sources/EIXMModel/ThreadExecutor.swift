import Foundation

/// A serial executor with a thread of its own, for an actor whose work everything else waits on (the router): its
/// jobs never queue behind the shared pool's (signature checks, TLS), and the kernel wakes its thread as soon as one
/// arrives. The thread ends with ``shutdown()``, after the jobs already enqueued.
public final class ThreadExecutor: SerialExecutor, @unchecked Sendable {
    private let condition = NSCondition()
    /// Guarded by `condition`.
    private var jobs: [UnownedJob] = []
    private var stopping = false

    /// `name` names the thread for `top -H` and `perf` (at most 15 bytes are kept).
    public init(name: String) {
        let thread = Thread { [self] in
            // Named from the thread itself: Foundation on Linux does not pass a name set before start to the kernel.
            Thread.current.name = String(name.utf8.prefix(15)) ?? "eixm"
            run()
        }
        thread.start()
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    public func asUnownedSerialExecutor() -> UnownedSerialExecutor { UnownedSerialExecutor(ordinary: self) }

    /// Ends the thread once the jobs enqueued so far have run.
    public func shutdown() {
        condition.lock()
        stopping = true
        condition.signal()
        condition.unlock()
    }

    private func run() {
        var batch: [UnownedJob] = []
        while true {
            condition.lock()
            while jobs.isEmpty, !stopping { condition.wait() }
            if jobs.isEmpty {
                condition.unlock()
                return
            }
            swap(&batch, &jobs)
            condition.unlock()
            for job in batch { job.runSynchronously(on: asUnownedSerialExecutor()) }
            batch.removeAll(keepingCapacity: true)
        }
    }
}
