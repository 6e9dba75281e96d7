import ArgumentParser
import EIXMAudit
import EIXMCrypto
import EIXMModel
import Foundation

/// `eixm audit recover`: reopens a log after a crash, as the router does on restart.
struct AuditRecoverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recover",
        abstract: "Reopen an audit log after a crash: cut a torn tail, record it, and seal the log with a checkpoint.",
        discussion: "The checkpoint is signed with the router's key from the PKI folder, as the router does when it restarts."
    )

    @Argument(help: "The audit folder.")
    var directory: String

    @Option(name: .long, help: "The PKI folder holding the router's key (EIXM-ROUTER.key).")
    var pki: String

    func run() async throws {
        let identity = try ExercisePKI.load(from: URL(fileURLWithPath: pki)).identity(for: .router)
        let log = try FileAuditLog(
            directory: URL(fileURLWithPath: directory),
            signer: AuditSigner(signer: identity.nodeID.rawValue, key: identity.privateKey)
        )
        try log.close()
        print(log.recovery.map { "Recovered: \($0); the log is sealed again." } ?? "The log ended cleanly; reopened and sealed again.")
    }
}
