import Foundation

/// A serial executor with a thread of its own, for an actor whose work everything else waits on (the router): its
/// jobs never queue behind the shared pool's (signature checks, TLS), and the kernel wakes its thread as soon as one
/// arrives. The thread ends with ``shutdown()``, after the jobs already enqueued.
/// It is also a task executor: a task started with it as its preference (a writer thread's "stored" signal to the
/// router) runs there from its first instruction, not first on the shared pool, which may be busy for milliseconds.
public final class ThreadExecutor: SerialExecutor, TaskExecutor, @unchecked Sendable {
    private let condition = NSCondition()
    /// `jobs` and `stopping` are read and written only with `condition` locked: that is what makes the class
    /// Sendable (the jobs themselves run on the one thread, outside the lock).
    private var jobs: [UnownedJob] = []
    private var stopping = false

    /// `name` names the thread for `top -H` and `perf` (see ``NamedThread``).
    public init(name: String) {
        NamedThread.start(name) { [self] in run() }
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
