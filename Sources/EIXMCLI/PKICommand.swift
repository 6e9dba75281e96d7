import ArgumentParser

/// `eixm pki`: the exercise PKI.
struct PKICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pki",
        abstract: "Make and inspect the exercise PKI (CA, router and node certificates).",
        subcommands: [PKIInitCommand.self, PKIShowCommand.self]
    )
}
