import ArgumentParser
import EIXMAudit

/// The root command: `eixm <subcommand>`.
public struct EIXMCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "eixm",
        abstract:
            "Simulate cross-border law-enforcement information exchange under the EIXM and Directive (EU) 2023/977.",
        discussion: """
            Nodes (one per SPOC, Europol, Eurojust and Frontex) exchange signed operational messages; a router \
            enforces the EIXM channel rules, explains each decision by rule ID and audits it.
            """,
        version: "eixm \(EIXMCommand.version)",
        subcommands: [
            ExerciseCommand.self, LoadCommand.self, AuditCommand.self, RouterCommand.self, NodeCommand.self,
            PKICommand.self, MessageCommand.self, RulesCommand.self, ReportCommand.self, ScenarioCommand.self,
        ]
    )

    public init() {}

    /// The release this build is: bumped with each round of work on the issues.
    public static let version = "0.3.0"
}
