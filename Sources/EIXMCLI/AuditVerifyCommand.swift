import ArgumentParser
import EIXMAudit
import EIXMCrypto
import EIXMModel
import Foundation

/// `eixm audit verify`: checks a log's integrity.
struct AuditVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check every hash link, checkpoint signature, sequence number and segment of an audit log.",
        discussion: """
            Prints the counts and the last checkpoint, or the first bad record (segment file, line, sequence \
            number, what is wrong: hash mismatch, broken link, gap, reordering, truncation, bad signature, \
            unsealed tail) and exits 1. With --pki the checkpoints must be signed by the router's certified key.
            """
    )

    @Argument(help: "The audit folder (a run folder's audit/).")
    var directory: String

    @Option(name: .long, help: "A PKI folder: checkpoints must carry the certified EIXM-ROUTER key.")
    var pki: String?

    func run() async throws {
        let trusted = try pki.map { path in
            let pki = try ExercisePKI.load(from: URL(fileURLWithPath: path))
            guard let certificate = pki.certificates[.router], let key = try KeyDirectory(certificates: [certificate]).key(for: .router) else {
                throw CommandError("\(path): no EIXM-ROUTER certificate")
            }
            return key
        }
        let result = try await AuditVerifier.verify(directory: URL(fileURLWithPath: directory), trustedKey: trusted)
        print(result)
        if !result.isValid { throw ExitCode(1) }
    }
}
