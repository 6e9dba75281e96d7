import ArgumentParser

/// `eixm scenario`: work on scenario files before running them.
struct ScenarioCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scenario",
        abstract: "Check a scenario's script of injects before running it.",
        subcommands: [ScenarioCheckCommand.self]
    )
}
