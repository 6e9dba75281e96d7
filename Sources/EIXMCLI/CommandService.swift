import Foundation
import ServiceLifecycle
import UnixSignals

/// A command's own work (routing, an exercise, a load run, a node) as a Service of the command's ServiceGroup: `body`
/// gets a stream that yields once the group shuts down gracefully (the first SIGTERM or SIGINT), and drains, seals its
/// logs and writes its reports before it returns; a second SIGTERM or SIGINT cancels it, and it ends at once.
struct CommandService: Service {
    /// The command, for the line that says it is stopping.
    let command: String
    let body: @Sendable (_ stop: AsyncStream<Void>) async throws -> Void

    /// The second signal, which ends the work at once.
    struct SecondSignal: Error, CustomStringConvertible {
        var description: String {
            "stopped at once by a second signal: nothing was drained, the reports were not written"
        }
    }

    func run() async throws {
        let (stop, stopping) = AsyncStream<Void>.makeStream()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await body(stop) }
            group.addTask {
                // Graceful shutdown: the work is told to stop; a signal after that throws, which cancels the work.
                try await gracefulShutdown()
                let signals = await UnixSignalsSequence(trapping: .sigterm, .sigint)
                stopping.yield()
                FileHandle.standardError.write(
                    Data("\(command): stopping: draining, then the reports; a second signal ends at once\n".utf8)
                )
                for await _ in signals { throw SecondSignal() }
            }
            // The work's end (or the second signal) ends the watch (or the work).
            try await group.next()
            group.cancelAll()
        }
    }
}
