import ArgumentParser
import EIXMCLI
import EIXMCrypto
import EIXMModel
import EIXMTestKit
import Foundation
import Testing

@Suite("eixm pki")
struct PKICommandTests {
    @Test("pki init writes 35 identities; a second init without --force is refused and leaves the files")
    func initAndRefuse() async throws {
        try await TemporaryDirectory.with { folder in
            let out = folder.appendingPathComponent("pki").path
            try await CommandRunner.run(["pki", "init", "--out", out])
            let pki = try ExercisePKI.load(from: URL(fileURLWithPath: out))
            #expect(pki.nodes.count == 35)
            let before = try Data(contentsOf: URL(fileURLWithPath: out + "/ca.pem"))
            await #expect(throws: CredentialError.self) { try await CommandRunner.run(["pki", "init", "--out", out]) }
            #expect(try Data(contentsOf: URL(fileURLWithPath: out + "/ca.pem")) == before)
            try await CommandRunner.run([
                "pki", "init", "--out", out, "--force", "--node", "SPOC-BE", "--node", "SPOC-GR",
            ])
            #expect(try ExercisePKI.load(from: URL(fileURLWithPath: out)).nodes == [.router, .spoc(.be), .spoc(.el)])
        }
    }

    @Test("pki revoke writes crl.pem and refuses twice or an unknown node; pki renew re-issues; pki show tells")
    func revokeAndRenew() async throws {
        try await TemporaryDirectory.with { folder in
            let out = folder.appendingPathComponent("pki").path
            try await CommandRunner.run(["pki", "init", "--out", out, "--node", "SPOC-BE", "--node", "SPOC-FR"])
            let before = try ExercisePKI.load(from: URL(fileURLWithPath: out))
            try await CommandRunner.run(["pki", "revoke", out, "SPOC-FR", "--reason", "superseded"])
            let revoked = try ExercisePKI.load(from: URL(fileURLWithPath: out))
            #expect(revoked.revocation(of: .spoc(.fr))?.reason == .superseded)
            #expect(revoked.revocation(of: .spoc(.be)) == nil)
            let again = try await CommandRunner.runProcess(["pki", "revoke", out, "SPOC-FR"])
            #expect(again.status == 1)
            #expect(again.output.contains("already revoked"))
            let unknown = try await CommandRunner.runProcess(["pki", "revoke", out, "SPOC-DE"])
            #expect(unknown.status == 1)
            #expect(unknown.output.contains("SPOC-DE: the PKI holds no certificate for this node"))
            #expect(throws: (any Error).self) {
                try EIXMCommand.parseAsRoot(["pki", "revoke", out, "SPOC-FR", "--reason", "bored"])
            }
            let show = try await CommandRunner.runProcess(["pki", "show", out])
            #expect(show.output.contains("REVOKED"))
            #expect(show.output.contains("(superseded)"))
            try await CommandRunner.run(["pki", "renew", out, "SPOC-FR"])
            let renewed = try ExercisePKI.load(from: URL(fileURLWithPath: out))
            #expect(renewed.certificates[.spoc(.fr)] != before.certificates[.spoc(.fr)])
            #expect(renewed.revocation(of: .spoc(.fr)) == nil)
            #expect(renewed.certificates[.spoc(.be)] == before.certificates[.spoc(.be)])
            #expect(try renewed.identity(for: .spoc(.fr)).nodeID == .spoc(.fr))
        }
    }

    @Test("the executable refuses a second init with exit status 1 and says why")
    func processRefusal() async throws {
        try await TemporaryDirectory.with { folder in
            let out = folder.appendingPathComponent("pki").path
            let first = try await CommandRunner.runProcess(["pki", "init", "--out", out, "--node", "SPOC-BE"])
            #expect(first.status == 0, "\(first.output)")
            let second = try await CommandRunner.runProcess(["pki", "init", "--out", out])
            #expect(second.status == 1)
            #expect(second.output.contains("already holds an exercise PKI"))
            let show = try await CommandRunner.runProcess(["pki", "show", out])
            #expect(show.status == 0)
            #expect(show.output.contains("trusted: certifies SPOC-BE"))
        }
    }

    @Test("bad options are usage errors")
    func usage() {
        #expect(throws: (any Error).self) { try EIXMCommand.parseAsRoot(["pki", "init", "--validity-days", "0"]) }
        #expect(throws: (any Error).self) { try EIXMCommand.parseAsRoot(["pki", "init", "--node", "not a node"]) }
    }
}

@Suite("TLS interop with the system openssl")
struct TLSInteropTests {
    @Test(
        "scripts/tls-interop.sh: TLS 1.2 and a missing client certificate are refused, a certified client is welcomed"
    )
    func opensslClient() async throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let (status, output) = try await ChildProcess.run(
            "/bin/bash",
            [root.appendingPathComponent("scripts/tls-interop.sh").path, CommandRunner.executable.path]
        )
        #expect(status == 0, "\(output)")
        #expect(output.contains("all checks passed"))
    }
}
