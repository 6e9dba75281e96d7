import ArgumentParser
import EIXMCLI
import EIXMTestKit
import Foundation

/// Runs `eixm` commands in-process, as the executable would, so that tests see the thrown errors.
enum CommandRunner {
    static func run(_ arguments: [String]) async throws {
        var command = try EIXMCommand.parseAsRoot(arguments)
        if var asyncCommand = command as? any AsyncParsableCommand {
            try await asyncCommand.run()
        } else {
            try command.run()
        }
    }

    /// The path of the built `eixm` executable, next to the test bundle.
    static var executable: URL {
        var folder = Bundle.main.bundleURL
        for _ in 0..<4 where !FileManager.default.fileExists(atPath: folder.appendingPathComponent("eixm").path) {
            folder = folder.deletingLastPathComponent()
        }
        return folder.appendingPathComponent("eixm")
    }

    /// Runs the real executable as a child process; returns its exit status and what it printed.
    static func runProcess(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        try await ChildProcess.run(executable.path, arguments)
    }
}
