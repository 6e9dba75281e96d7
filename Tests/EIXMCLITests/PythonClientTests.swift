import EIXMAudit
import EIXMCrypto
import EIXMModel
import EIXMTestKit
import Foundation
import Testing

/// The reference client in examples/python-client/, written from docs/PROTOCOL.md, against an `eixm router`
/// process over mutual TLS: what an integrator's implementation has to do.
@Suite("The Python reference client", .timeLimit(.minutes(2)))
struct PythonClientTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let client = root.appendingPathComponent("examples/python-client/eixm_client.py").path

    static func python(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        try await ChildProcess.run("/usr/bin/env", ["python3", client] + arguments)
    }

    @Test("the client encodes the README's sample request header byte for byte as the golden vector")
    func goldenHeader() async throws {
        let golden = Self.root.appendingPathComponent("Tests/EIXMModelTests/GoldenVectors").path
        let result = try await Self.python(["selftest", "--golden", golden])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("OK: the sample request header is the golden vector"), "\(result.output)")
    }

    @Test(
        "the client connects as two nodes with mutual TLS, sends a signed request that the router accepts, receives and verifies it, and its signed receipt is in the router's acknowledged record, verifying with the recipient's certificate"
    )
    func exchangeWithRouter() async throws {
        try await TemporaryDirectory.with { folder in
            let pki = folder.appendingPathComponent("pki")
            let made = try await CommandRunner.runProcess([
                "pki", "init", "--out", pki.path, "--node", "SPOC-BE", "--node", "SPOC-FR",
            ])
            #expect(made.status == 0, "\(made.output)")
            let run = folder.appendingPathComponent("run")
            let router = try await RouterCrashTests.RouterProcess.start(pki: pki, folder: run)
            let result = try await Self.python(["exchange", "--router", "127.0.0.1:\(router.port)", "--pki", pki.path])
            _ = try await router.stop(SIGTERM)
            #expect(result.status == 0, "\(result.output)")
            let words = result.output.split(separator: " ")
            let message = try #require(words.count > 1 ? String(words[1]) : nil, "\(result.output)")
            #expect(result.output.contains("accepted, delivered, verified, receipt sent"))

            let records = try AuditReader.read(directory: run.appendingPathComponent("audit")).records
            let received = try #require(records.first { $0.messageID == message && $0.isArrival })
            #expect(received.sender == "SPOC-BE")
            let acknowledged = try #require(records.first { $0.messageID == message && $0.event == "acknowledged" })
            let (recipient, receipt) = try #require(try acknowledged.receipt())
            #expect(recipient == .spoc(.fr))
            #expect(AuditRecordFormat.hex(receipt.content.headerDigest) == received.headerDigest)
            #expect(AuditRecordFormat.hex(receipt.content.bodyDigest) == received.bodyDigest)
            let keys = try ExercisePKI.load(from: pki).keyDirectory()
            #expect(keys.verify(receipt, from: .spoc(.fr)).isValid)
            #expect(!keys.verify(receipt, from: .spoc(.be)).isValid)
        }
    }
}
