import EIXMAudit
import EIXMCrypto
import EIXMModel
import EIXMTestKit
import EIXMTransport
import EIXMTransportNIO
import Foundation
import Testing

/// `eixm pki revoke` against a running `eixm router` process: SIGHUP reads the new list, the revoked node's open
/// connection is closed, it cannot connect again, and a router started later refuses it too; every refusal is in
/// the audit log with the certificate's fingerprint.
@Suite("Revocation with a running eixm router")
struct RevocationProcessTests {
    typealias RouterProcess = RouterCrashTests.RouterProcess

    /// Connects as `node` and returns whether the router welcomed it.
    static func welcomed(_ node: NodeID, pki: ExercisePKI, port: Int) async -> Bool {
        do {
            var welcomed = false
            try await RouterCrashTests.session(node, pki: pki, port: port) { _, _, _ in welcomed = true }
            return welcomed
        } catch {
            return false
        }
    }

    @Test(
        "SIGHUP closes a revoked node's connection; it is refused from then on, also after a restart",
        .timeLimit(.minutes(2))
    )
    func revokeWhileRunning() async throws {
        try await TemporaryDirectory.with { folder in
            let pkiFolder = folder.appendingPathComponent("pki")
            let run = folder.appendingPathComponent("run")
            let made = try await CommandRunner.runProcess(
                ["pki", "init", "--out", pkiFolder.path, "--node", "SPOC-BE", "--node", "SPOC-FR"]
            )
            #expect(made.status == 0)
            let pki = try ExercisePKI.load(from: pkiFolder)
            let router = try await RouterProcess.start(pki: pkiFolder, folder: run)
            let (connected, connection) = AsyncStream<Void>.makeStream()
            // France stays connected, answering nothing but heartbeats, until the router closes its connection.
            let france = Task {
                try await RouterCrashTests.session(.spoc(.fr), pki: pki, port: router.port) { link, frames, _ in
                    connection.yield()
                    let beats = RouterCrashTests.heartbeats(on: link.outbound)
                    defer { beats.cancel() }
                    while try await frames.next() != nil {}
                }
            }
            var events = connected.makeAsyncIterator()
            _ = await events.next()
            let revoked = try await CommandRunner.runProcess(
                ["pki", "revoke", pkiFolder.path, "SPOC-FR", "--reason", "key-compromise"]
            )
            #expect(revoked.status == 0, "\(revoked.output)")
            kill(router.process.processIdentifier, SIGHUP)
            // The router closes France's connection: the session ends (cleanly or with an error).
            _ = await france.result
            #expect(await Self.welcomed(.spoc(.be), pki: pki, port: router.port))
            #expect(!(await Self.welcomed(.spoc(.fr), pki: pki, port: router.port)))
            let output = try await router.stop(SIGTERM)
            #expect(
                output.contains(
                    "revocation list reloaded: 1 certificate(s) revoked (list number 1); 1 open connection(s) closed"
                ),
                "\(output)"
            )

            let restarted = try await RouterProcess.start(pki: pkiFolder, folder: run)
            #expect(!(await Self.welcomed(.spoc(.fr), pki: pki, port: restarted.port)))
            #expect(await Self.welcomed(.spoc(.be), pki: pki, port: restarted.port))
            _ = try await restarted.stop(SIGTERM)

            let fingerprint = CertificateGate.fingerprint(of: pki.certificates[.spoc(.fr)]!)
            let records = try AuditReader.read(directory: run.appendingPathComponent("audit")).records
            let refusals = records.filter { $0.event == "connection_refused" }
            #expect(refusals.count == 3, "\(refusals.map(\.text))")
            #expect(
                refusals.allSatisfy {
                    $0.rules == ["REVOKED"] && $0.certificateFingerprint == fingerprint && $0.claimed == "SPOC-FR"
                }
            )
            #expect(refusals.allSatisfy { $0.peerAddress == "127.0.0.1" })
        }
    }
}
