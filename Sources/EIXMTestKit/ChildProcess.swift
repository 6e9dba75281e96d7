import Dispatch
import Foundation

/// Runs a real OS process to completion and returns its exit status and everything it printed (standard output
/// and standard error together). The blocking waits happen on a Dispatch thread, never on Swift Concurrency's
/// cooperative pool, so that other tests' tasks keep running meanwhile.
public enum ChildProcess {
    public static func run(_ executable: String, _ arguments: [String]) async throws -> (status: Int32, output: String)
    {
        try await offPool {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            try process.run()
            let output = try PipeReader(pipe).readToEnd()
            process.waitUntilExit()
            return (process.terminationStatus, output)
        }
    }

    /// Runs blocking work on a Dispatch thread and awaits its result.
    public static func offPool<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Swift.Result { try work() }) }
        }
    }
}
