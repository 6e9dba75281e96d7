import ArgumentParser
import EIXMAudit
import EIXMCrypto
import EIXMModel
import Foundation

/// `eixm audit recover`: reopens a log after a crash, as the router does on restart.
struct AuditRecoverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recover",
        abstract:
            "Reopen an audit log after a crash: cut a torn tail, record what was found, and close it with a checkpoint.",
        discussion: """
            The whole log is verified with the router's key first. Only the tail no checkpoint sealed is cut: an \
            incomplete last line, a last record whose hash does not match, then the whole records after the last \
            checkpoint (the router seals every batch before it acknowledges any of it, so none of them was \
            acknowledged; cut, never sealed, so a rewritten tail does not survive). Damage anywhere else, a record that does not chain, \
            or a cut that would drop records the run's tree-head.json covers is refused (exit 1, naming the first \
            bad record) and nothing is changed. A log that ended with a closing checkpoint is left as it is. The \
            recovered record and the closing checkpoint are signed with the router's key from the PKI folder.
            """
    )

    @Argument(help: "A run folder, or its audit/ folder.")
    var directory: String

    @Option(name: .long, help: "The PKI folder holding the router's key (EIXM-ROUTER.key).")
    var pki: String

    func run() async throws {
        let folder = try RunAuditFolder(directory)
        guard let trusted = try await folder.routerKey(pki: pki) else { throw CommandError("\(pki): no PKI folder") }
        let witness = folder.run?.appendingPathComponent("tree-head.json")
        let before = try AuditVerifier.verify(
            directory: folder.audit,
            trustedKey: trusted.key,
            expected: try folder.treeHeadFile.map { file in
                let head = try AuditTreeHead.read(from: file)
                return AuditVerifier.Expectation(treeSize: head.treeSize, root: head.rootBytes)
            }
        )
        if before.isValid {
            print("The log ends with a closing checkpoint: nothing to recover, nothing was changed.")
            return
        }
        let pkiFolder = try ExercisePKI.load(from: URL(fileURLWithPath: pki))
        guard pkiFolder.privateKeys[.router] != nil else {
            throw CommandError(
                "\(pki) holds no private key for \(NodeID.router.rawValue): recovery signs what it records with the router's key (a run's certificates/ folder holds none)"
            )
        }
        let identity = try pkiFolder.identity(for: .router)
        let signer = AuditSigner(signer: identity.nodeID.rawValue, key: identity.privateKey)
        let log: FileAuditLog
        do {
            log = try FileAuditLog(
                directory: folder.audit,
                signer: signer,
                configuration: AuditLogConfiguration(treeHeadFile: witness)
            )
        } catch let error as AuditError {
            throw CommandError("\(error)")
        }
        try await log.close()
        print(
            log.recovery.map { "Recovered: \($0); closed with a signed checkpoint." }
                ?? "Reopened and closed with a signed checkpoint."
        )
    }
}
