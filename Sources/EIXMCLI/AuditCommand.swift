import ArgumentParser

/// `eixm audit`: verify and question routed-message logs.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Verify and question an audit log (a run folder's audit/ folder).",
        subcommands: [
            AuditVerifyCommand.self, AuditProveCommand.self, AuditCheckCommand.self, AuditQueryCommand.self,
            AuditStatsCommand.self, AuditIndexCommand.self, AuditExportCommand.self, AuditRecoverCommand.self,
            AuditScoreCommand.self,
        ]
    )
}
