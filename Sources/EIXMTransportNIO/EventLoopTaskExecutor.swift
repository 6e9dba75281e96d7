import NIOCore

/// Runs a task's jobs on one event loop. A connection's task prefers its channel's loop: whatever resumes it from
/// another thread (the router's actor answering, a writer thread's "stored") then brings it there, where its
/// writes go straight to the socket, instead of to a loop picked in turn, from which each write hops once more.
final class EventLoopTaskExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) { self.eventLoop = eventLoop }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
