import ArgumentParser

/// `eixm pki`: the exercise PKI.
struct PKICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pki",
        abstract: "Make, inspect, revoke and renew the exercise PKI (CA, router and node certificates).",
        subcommands: [PKIInitCommand.self, PKIShowCommand.self, PKIRevokeCommand.self, PKIRenewCommand.self]
    )
}
