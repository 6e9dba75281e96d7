import ArgumentParser
import EIXMAudit
import Foundation

/// `eixm audit prove`: proofs about a log that can be checked without it.
struct AuditProveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prove",
        abstract:
            "Write, as JSON, a proof about an audit log that anyone can check without the log (eixm audit check).",
        discussion: """
            --message ID: every record of that message's lifecycle (received, accepted or rejected, delivered, \
            acknowledged, ...) with its Merkle inclusion proof against the log's last signed tree head. \
            --consistency N: that the log's first N records (an older tree head's) are a prefix of the last tree \
            head. The log is verified first (with the run's certified router key when the run folder keeps it); a \
            log that does not verify proves nothing.
            """
    )

    @Argument(help: "A run folder, or its audit/ folder.")
    var directory: String

    @Option(help: "A message ID: prove that message's records.")
    var message: String?

    @Option(help: "An older tree size: prove that tree is a prefix of the last tree head.")
    var consistency: UInt64?

    @Option(
        name: .long,
        help:
            "A PKI folder whose certified EIXM-ROUTER key must have signed the log (default: the run's certificates/)."
    )
    var pki: String?

    @Option(name: .shortAndLong, help: "Write the proof here instead of standard output.")
    var out: String?

    func validate() throws {
        guard (message == nil) != (consistency == nil) else {
            throw ValidationError("Give --message ID or --consistency N (one of them).")
        }
        if let message, UUID(uuidString: message) == nil {
            throw ValidationError(
                "--message: '\(message)' is not a message ID (a UUID such as 8a1f3c52-0b7d-4e61-9a20-1122334455a1)."
            )
        }
    }

    func run() async throws {
        let folder = try RunAuditFolder(directory)
        let trusted = try await folder.routerKey(pki: pki)
        let proof: AuditProof
        do {
            var prover = try AuditProver(directory: folder.audit, trustedKey: trusted?.key)
            proof =
                try message.map { try prover.inclusion(messageID: $0) } ?? prover.consistency(oldSize: consistency ?? 0)
        } catch let failure as AuditProver.Failure {
            throw CommandError("\(folder.audit.path): \(failure)")
        }
        if let out {
            do {
                try proof.json().write(to: URL(fileURLWithPath: out))
            } catch {
                throw CommandError("\(out): cannot write the proof: \(error.localizedDescription)")
            }
            FileHandle.standardError.write(
                Data("Wrote \(out): check it with 'eixm audit check \(out) --pki DIR'.\n".utf8)
            )
        } else {
            FileHandle.standardOutput.write(proof.json())
        }
    }
}
