import ArgumentParser
import EIXMAudit
import EIXMCrypto
import Foundation

/// `eixm audit check`: checks a proof without the log.
struct AuditCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check a proof written by 'eixm audit prove', without the log, with the router's certified key.",
        discussion:
            "Says what the proof shows, or why it does not hold (exit 1). A message's proof includes its 'acknowledged' records: each holds the recipient's signed receipt (message, digests of header and body, time received), checked with the recipient's certificate, so the proof shows who received what, signed by them."
    )

    @Argument(help: "The proof (JSON).")
    var proof: String

    @Option(
        name: .long,
        help:
            "A PKI folder, or a run's certificates/ folder: the EIXM-ROUTER certificate's key must have signed the tree head, and each recipient's certificate its receipt."
    )
    var pki: String

    func run() async throws {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: proof))
        } catch {
            throw CommandError("\(proof): cannot read: \(error.localizedDescription)")
        }
        let decoded: AuditProof
        do {
            decoded = try AuditProof.decoded(from: data)
        } catch {
            throw CommandError("\(proof): not a proof written by 'eixm audit prove' (\(DecodingProblem(error)))")
        }
        let folder = URL(fileURLWithPath: pki)
        guard let key = try await RunAuditFolder.certifiedRouterKey(in: folder) else {
            throw CommandError("\(pki): no EIXM-ROUTER certificate")
        }
        let recipients = try await RunAuditFolder.certifiedKeys(in: folder)
        do {
            print("OK: " + (try decoded.check(key: key) { recipients.verify($1, from: $0).isValid }))
        } catch {
            print("FAILED: \(error)")
            throw ExitCode(1)
        }
    }
}
