import EIXMAudit
import EIXMTestKit
import Foundation
import Testing

/// `eixm load` from one process against an `eixm router` process that is killed with SIGKILL mid-run and started
/// again on its folder and port: what the router answered ACCEPTED still reaches every addressee, by the load's own
/// senders' and recipients' records.
@Suite("eixm load across a router crash", .timeLimit(.minutes(3)))
struct LoadAcrossCrashTests {
    static let exercise = """
        name: load-crash
        seed: 11
        time_scale: 3600
        duration: 60s
        start: 2026-11-29T08:00:00Z
        nodes: [SPOC-BE, SPOC-FR, SPOC-DE, SPOC-NL, EUROPOL, FRONTEX]
        router:
          heartbeat: 1s
        """

    /// Bytes in the audit log's segments: it grows while traffic flows.
    static func auditBytes(_ folder: URL) -> Int {
        let files =
            (try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: [.fileSizeKey])) ?? []
        return files.reduce(0) { $0 + ((try? $1.resourceValues(forKeys: [.fileSizeKey]).fileSize) ?? 0) }
    }

    @Test(
        "a router killed with SIGKILL under load and restarted: nothing answered ACCEPTED is lost, the load counts its reconnects and passes, the audit log of both lives verifies"
    )
    func loadAcrossACrash() async throws {
        try await TemporaryDirectory.with { folder in
            let pki = folder.appendingPathComponent("pki")
            let config = folder.appendingPathComponent("exercise.yaml")
            let routerFolder = folder.appendingPathComponent("router")
            try Self.exercise.write(to: config, atomically: true, encoding: .utf8)
            let nodes = ["SPOC-BE", "SPOC-FR", "SPOC-DE", "SPOC-NL", "EUROPOL", "FRONTEX"].flatMap { ["--node", $0] }
            #expect(try await CommandRunner.runProcess(["pki", "init", "--out", pki.path] + nodes).status == 0)
            let first = try await RouterCrashTests.RouterProcess.start(pki: pki, folder: routerFolder)
            async let load = CommandRunner.runProcess([
                "load", "--router", "127.0.0.1:\(first.port)", "--pki", pki.path, "--config", config.path, "--rate",
                "200",
                "--duration", "6s", "--warmup", "0s", "--drain", "20s", "--max-lost", "0", "--out",
                folder.appendingPathComponent("load").path,
            ])
            // Traffic flows once the audit log grows past its first records: kill the router then.
            let audit = routerFolder.appendingPathComponent("audit")
            let deadline = ContinuousClock.now + .seconds(30)
            while Self.auditBytes(audit) < 50_000, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
            }
            _ = try await first.stop(SIGKILL)
            #expect(first.process.terminationReason == .uncaughtSignal)
            let second = try await RouterCrashTests.RouterProcess.start(
                pki: pki,
                folder: routerFolder,
                port: first.port
            )
            let result = try await load
            _ = try await second.stop(SIGTERM)
            #expect(result.status == 0, "\(result.output)")
            #expect(
                result.output.contains("accepted but not delivered to every addressee (lost): 0;"),
                "\(result.output)"
            )
            let reconnects =
                result.output.firstMatch(of: /Connections lost and made again: (\d+) reconnects/).flatMap { Int($0.1) }
                ?? 0
            #expect(reconnects >= 6, "every node connects again after the crash: \(result.output)")
            // Two lives of the router in one log: the second opened it again and rebuilt what the first had spooled.
            let records = try AuditReader.read(directory: audit).records
            #expect(records.filter { $0.event == "opened" }.count == 2)
            #expect(records.contains { $0.event == "restored" })
            let verified = try await CommandRunner.runProcess(["audit", "verify", audit.path, "--pki", pki.path])
            #expect(verified.status == 0, "\(verified.output)")
        }
    }
}
