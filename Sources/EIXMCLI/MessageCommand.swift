import ArgumentParser

/// `eixm message`: make, show and verify signed envelopes, for people debugging an exchange.
struct MessageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "message",
        abstract: "Make, show and verify signed operational messages (envelopes).",
        subcommands: [MessageNewCommand.self, MessageShowCommand.self, MessageVerifyCommand.self]
    )
}
