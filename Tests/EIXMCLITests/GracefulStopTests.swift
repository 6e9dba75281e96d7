import EIXMAudit
import EIXMTestKit
import Foundation
import Testing

/// SIGTERM stops a command gracefully: it drains, seals its logs and writes its reports.
@Suite("Graceful stop on SIGTERM")
struct GracefulStopTests {
    /// Starts `eixm ARGUMENTS` and returns once a line of its standard error starts with `prefix`.
    static func start(_ arguments: [String], until prefix: String) async throws -> (Process, Pipe) {
        let executable = CommandRunner.executable
        return try await ChildProcess.offPool {
            let process = Process()
            process.executableURL = executable
            process.arguments = arguments
            let errors = Pipe()
            process.standardError = errors
            process.standardOutput = Pipe()
            try process.run()
            let (seen, line) = try PipeReader(errors).read(untilLineStartingWith: prefix)
            guard line != nil else {
                throw RouterCrashTests.RunError("eixm \(arguments[0]) ended before '\(prefix)': \(seen)")
            }
            return (process, errors)
        }
    }

    /// Sends `signal` and waits for the process to exit; returns its exit status.
    static func stop(_ process: Process, _ errors: Pipe, _ signal: Int32) async throws -> Int32 {
        try await ChildProcess.offPool {
            kill(process.processIdentifier, signal)
            _ = try PipeReader(errors).readToEnd()
            process.waitUntilExit()
            return process.terminationStatus
        }
    }

    @Test(
        "SIGTERM during a load run against a router process: the load writes its reports, then the router (also stopped with SIGTERM) writes its report and seals its audit log with a final tree head",
        .timeLimit(.minutes(2))
    )
    func loadAndRouter() async throws {
        try await TemporaryDirectory.with { folder in
            let pki = folder.appendingPathComponent("pki")
            #expect(try await CommandRunner.runProcess(["pki", "init", "--out", pki.path]).status == 0)
            let routerFolder = folder.appendingPathComponent("router")
            let router = try await RouterCrashTests.RouterProcess.start(pki: pki, folder: routerFolder)
            let loadFolder = folder.appendingPathComponent("load")
            // A minute of load, stopped once its traffic runs (its first per-second line).
            let (load, loadErrors) = try await Self.start(
                [
                    "load", "--router", "127.0.0.1:\(router.port)", "--pki", pki.path, "--rate", "100",
                    "--duration", "60s", "--warmup", "0s", "--out", loadFolder.path,
                ],
                until: "[  1s]"
            )
            #expect(try await Self.stop(load, loadErrors, SIGTERM) == 0)
            let report =
                try JSONSerialization.jsonObject(
                    with: Data(contentsOf: loadFolder.appendingPathComponent("report.json"))
                ) as? [String: Any]
            let measured = try #require(report?["measured"] as? [String: Any])
            #expect((measured["sent"] as? Int ?? 0) > 0)
            #expect((report?["duration_seconds"] as? Double ?? 0) == 60)
            #expect((report?["measured_seconds"] as? Double ?? 60) < 60, "stopped early, and says so")
            #expect(report?["unanswered"] as? Int == 0, "the drain waited for the answers")
            #expect(FileManager.default.fileExists(atPath: loadFolder.appendingPathComponent("report.html").path))
            #expect(FileManager.default.fileExists(atPath: loadFolder.appendingPathComponent("series.csv").path))

            _ = try await router.stop(SIGTERM)
            #expect(router.process.terminationStatus == 0)
            let text = try String(contentsOf: routerFolder.appendingPathComponent("router-report.txt"), encoding: .utf8)
            #expect(text.contains("Router report: 34 node(s) connected"), "\(text)")
            // Sealed: the log's last record is a final signed tree head, and the log verifies up to it.
            let verification = try AuditVerifier.verify(directory: routerFolder.appendingPathComponent("audit"))
            #expect(verification.problem == nil, "\(verification)")
            let head = try AuditTreeHead.read(from: routerFolder.appendingPathComponent("tree-head.json"))
            #expect(head.final)
            // It covers every record before it: the final checkpoint is the log's last record.
            #expect(head.treeSize + 1 == UInt64(verification.records))
        }
    }

    @Test(
        "a second SIGTERM ends a command at once: a load run draining towards a frozen router stops with a sentence saying so, instead of waiting out its drain",
        .timeLimit(.minutes(2))
    )
    func secondSignal() async throws {
        try await TemporaryDirectory.with { folder in
            let pki = folder.appendingPathComponent("pki")
            #expect(try await CommandRunner.runProcess(["pki", "init", "--out", pki.path]).status == 0)
            let router = try await RouterCrashTests.RouterProcess.start(
                pki: pki,
                folder: folder.appendingPathComponent("r")
            )
            let (load, loadErrors) = try await Self.start(
                [
                    "load", "--router", "127.0.0.1:\(router.port)", "--pki", pki.path, "--rate", "100",
                    "--duration", "60s", "--warmup", "0s", "--drain", "600s", "--out",
                    folder.appendingPathComponent("load").path,
                ],
                until: "[  1s]"
            )
            // The router stops answering: the load's drain would wait ten minutes for the answers.
            kill(router.process.processIdentifier, SIGSTOP)
            let started = ContinuousClock.now
            kill(load.processIdentifier, SIGTERM)
            let output = try await ChildProcess.offPool {
                // The first signal has begun the drain once the load says it is stopping; a second ends it.
                let reader = PipeReader(loadErrors)
                let seen = try reader.read { $0.contains("eixm load: stopping: draining") }
                kill(load.processIdentifier, SIGTERM)
                let rest = try reader.readToEnd()
                load.waitUntilExit()
                return seen + rest
            }
            #expect(load.terminationStatus == 1)
            #expect(output.contains("stopped at once by a second signal"), "\(output)")
            #expect(ContinuousClock.now - started < .seconds(60), "it did not wait out the drain")
            kill(router.process.processIdentifier, SIGCONT)
            _ = try await router.stop(SIGTERM)
        }
    }
}
