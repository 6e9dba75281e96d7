import ArgumentParser
import EIXMCLI
import EIXMCrypto
import EIXMModel
import EIXMTestKit
import Foundation
import Testing

@Suite("eixm message")
struct MessageCommandTests {
    /// A PKI for Belgium and France in `folder/pki`.
    private func makePKI(_ folder: URL) async throws -> String {
        let pki = folder.appendingPathComponent("pki").path
        try await CommandRunner.run(["pki", "init", "--out", pki, "--node", "SPOC-BE", "--node", "SPOC-FR"])
        return pki
    }

    @Test("new writes a signed envelope that verify accepts and show renders")
    func newVerifyShow() async throws {
        try await TemporaryDirectory.with { folder in
            let pki = try await makePKI(folder)
            let file = folder.appendingPathComponent("request.eixm").path
            try await CommandRunner.run([
                "message", "new", "--pki", pki, "--from", "SPOC-BE", "--to", "SPOC-FR", "--urgency", "URGENT",
                "--urgency-reason", "IMMINENT_THREAT_LIFE_OR_PHYSICAL_INTEGRITY", "--accessibility", "DIRECT",
                "--crime-area", "DRUG_TRAFFICKING", "--evaluation", "B2", "--language", "en",
                "--body", "Courier seen at Antwerp.", "--out", file,
            ])
            let envelope = try Envelope(wireBytes: Array(Data(contentsOf: URL(fileURLWithPath: file))))
            #expect(envelope.header.sender == .spoc(.be))
            #expect(envelope.header.evaluation?.description == "B2")
            #expect(envelope.body == Array("Courier seen at Antwerp.".utf8))
            try await CommandRunner.run(["message", "verify", file, "--pki", pki])
            try await CommandRunner.run(["message", "show", file])
        }
    }

    @Test("verify says why: bad signature, unknown sender, malformed envelope")
    func verifyFailures() async throws {
        try await TemporaryDirectory.with { folder in
            let pki = try await makePKI(folder)
            let file = folder.appendingPathComponent("m.eixm").path
            try await CommandRunner.run([
                "message", "new", "--pki", pki, "--from", "SPOC-BE", "--to", "SPOC-FR", "--body", "abc", "--out", file,
            ])
            var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: file)))
            // The last body byte sits just before the signature block (1 + 2 + 64 bytes).
            bytes[bytes.count - 68] ^= 0x20
            try Data(bytes).write(to: URL(fileURLWithPath: file))
            let tampered = try await CommandRunner.runProcess(["message", "verify", file, "--pki", pki])
            #expect(tampered.status == 1)
            #expect(tampered.output.contains("bad signature"))

            let otherPKI = folder.appendingPathComponent("other").path
            try await CommandRunner.run(["pki", "init", "--out", otherPKI, "--node", "SPOC-FR"])
            try await CommandRunner.run([
                "message", "new", "--pki", pki, "--from", "SPOC-BE", "--to", "SPOC-FR", "--out", file,
            ])
            let unknown = try await CommandRunner.runProcess(["message", "verify", file, "--pki", otherPKI])
            #expect(unknown.status == 1)
            #expect(unknown.output.contains("unknown sender"))

            try Data("garbage".utf8).write(to: URL(fileURLWithPath: file))
            let malformed = try await CommandRunner.runProcess(["message", "verify", file, "--pki", pki])
            #expect(malformed.status == 1)
            #expect(malformed.output.contains("malformed envelope"))
        }
    }

    @Test("a certificate under the right name but from another CA is untrusted")
    func foreignCertificate() async throws {
        try await TemporaryDirectory.with { folder in
            let pki = try await makePKI(folder)
            let otherPKI = folder.appendingPathComponent("other").path
            try await CommandRunner.run(["pki", "init", "--out", otherPKI, "--node", "SPOC-BE"])
            let file = folder.appendingPathComponent("m.eixm").path
            try await CommandRunner.run([
                "message", "new", "--pki", otherPKI, "--from", "SPOC-BE", "--to", "SPOC-FR", "--out", file,
            ])
            // Plant the foreign certificate under SPOC-BE's name in the first PKI.
            let planted = URL(fileURLWithPath: pki + "/SPOC-BE.pem")
            try FileManager.default.removeItem(at: planted)
            try FileManager.default.copyItem(at: URL(fileURLWithPath: otherPKI + "/SPOC-BE.pem"), to: planted)
            let result = try await CommandRunner.runProcess(["message", "verify", file, "--pki", pki])
            #expect(result.status == 1)
            #expect(result.output.contains("untrusted certificate"))
        }
    }

    @Test("new reads a JSON header and reports a bad one by field")
    func headerJSON() async throws {
        try await TemporaryDirectory.with { folder in
            let pki = try await makePKI(folder)
            let headerFile = folder.appendingPathComponent("header.json")
            try Data(SampleMessages.request().jsonText().utf8).write(to: headerFile)
            let file = folder.appendingPathComponent("m.eixm").path
            try await CommandRunner.run([
                "message", "new", "--pki", pki, "--header-json", headerFile.path, "--out", file,
            ])
            #expect(
                try Envelope(wireBytes: Array(Data(contentsOf: URL(fileURLWithPath: file)))).header
                    == SampleMessages.request()
            )

            try Data(#"{"id":"x"}"#.utf8).write(to: headerFile)
            let bad = try await CommandRunner.runProcess([
                "message", "new", "--pki", pki, "--header-json", headerFile.path, "--out", file,
            ])
            #expect(bad.status != 0)
            #expect(bad.output.contains("'id'"))
        }
    }

    @Test("a sender without a key in the PKI is refused")
    func senderWithoutKey() async throws {
        try await TemporaryDirectory.with { folder in
            let pki = try await makePKI(folder)
            let file = folder.appendingPathComponent("m.eixm").path
            await #expect(throws: CredentialError.self) {
                try await CommandRunner.run([
                    "message", "new", "--pki", pki, "--from", "SPOC-DE", "--to", "SPOC-FR", "--out", file,
                ])
            }
        }
    }
}
