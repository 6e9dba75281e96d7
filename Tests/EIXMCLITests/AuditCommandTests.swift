import EIXMAudit
import EIXMTestKit
import Foundation
import Testing

@Suite("eixm audit")
struct AuditCommandTests {
    @Test("an exercise's audit log verifies; a flipped byte in a middle record fails, naming that record")
    func exerciseLog() async throws {
        try await TemporaryDirectory.with { folder in
            let run = folder.appendingPathComponent("run")
            let pki = folder.appendingPathComponent("pki")
            #expect(try await CommandRunner.runProcess(["pki", "init", "--out", pki.path]).status == 0)
            let exercise = try await CommandRunner.runProcess(["exercise", "--duration", "3s", "--out", run.path, "--pki", pki.path])
            #expect(exercise.status == 0, "\(exercise.output)")
            let audit = run.appendingPathComponent("audit")
            let verified = try await CommandRunner.runProcess(["audit", "verify", audit.path, "--pki", pki.path])
            #expect(verified.status == 0, "\(verified.output)")
            #expect(verified.output.contains("OK"))

            let stats = try await CommandRunner.runProcess(["audit", "stats", audit.path])
            #expect(stats.status == 0)
            #expect(stats.output.contains("received"))
            let rejected = try await CommandRunner.runProcess(["audit", "query", audit.path, "--event", "rejected", "--format", "csv"])
            #expect(rejected.status == 0)
            #expect(rejected.output.hasPrefix("seq,simulated_time,event"))

            let segment = audit.appendingPathComponent("audit-000001.jsonl")
            var lines = try String(contentsOf: segment, encoding: .utf8).split(separator: "\n").map(String.init)
            let middle = lines.count / 2
            lines[middle] = lines[middle].replacingOccurrences(of: "\"event\":\"", with: "\"event\":\"x")
            try (lines.joined(separator: "\n") + "\n").write(to: segment, atomically: true, encoding: .utf8)
            let tampered = try await CommandRunner.runProcess(["audit", "verify", audit.path])
            #expect(tampered.status == 1)
            #expect(tampered.output.contains("audit-000001.jsonl line \(middle + 1)"), "\(tampered.output)")
        }
    }

    @Test("a writer killed with SIGKILL mid-run leaves a log that recovers and verifies")
    func crash() async throws {
        try await TemporaryDirectory.with { folder in
            let run = folder.appendingPathComponent("run")
            let pki = folder.appendingPathComponent("pki")
            #expect(try await CommandRunner.runProcess(["pki", "init", "--out", pki.path]).status == 0)
            let executable = CommandRunner.executable
            let killed = try await ChildProcess.offPool { () -> Bool in
                let process = Process()
                process.executableURL = executable
                process.arguments = ["exercise", "--duration", "60s", "--out", run.path, "--pki", pki.path]
                let errors = Pipe()
                process.standardError = errors
                process.standardOutput = FileHandle.nullDevice
                try process.run()
                // The exercise prints a progress line every second: the third means records are being written.
                var seen = ""
                while seen.components(separatedBy: "\n[").count < 4 {
                    let chunk = errors.fileHandleForReading.availableData
                    guard !chunk.isEmpty else { break }
                    seen += String(decoding: chunk, as: UTF8.self)
                }
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                return process.terminationReason == .uncaughtSignal
            }
            #expect(killed)
            let audit = run.appendingPathComponent("audit")
            let recovered = try await CommandRunner.runProcess(["audit", "recover", audit.path, "--pki", pki.path])
            #expect(recovered.status == 0, "\(recovered.output)")
            let verified = try await CommandRunner.runProcess(["audit", "verify", audit.path, "--pki", pki.path])
            #expect(verified.status == 0, "\(verified.output)")
            let (records, unreadable) = try AuditReader.read(directory: audit)
            #expect(unreadable.isEmpty)
            #expect(records.contains { $0.event == "received" })
        }
    }
}
