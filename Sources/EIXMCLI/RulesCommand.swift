import ArgumentParser

/// `eixm rules`: ask the channel-rules engine questions.
struct RulesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Judge message headers against the EIXM channel rules, list the rules, lint a rules file.",
        subcommands: [RulesCheckCommand.self, RulesListCommand.self, RulesLintCommand.self]
    )
}
