import ArgumentParser
import EIXMRules

/// The rules file and policy mode, shared by the commands that judge messages.
struct RulesOptions: ParsableArguments {
    @Option(name: .long, help: "A rules file (default: the built-in configs/rules.yaml).")
    var rules: String?

    @Option(
        name: .long,
        help: "The policy mode, overriding the file's: SFD_LEGACY, DIR_2023_977_TRANSITIONAL or DIR_2023_977_FULL."
    )
    var mode: PolicyMode?

    func configuration() throws -> RulesConfiguration {
        var configuration =
            try rules.map { path throws(ConfigurationError) in try RulesConfiguration.load(path: path) }
            ?? RulesConfiguration.builtIn()
        if let mode { configuration.mode = mode }
        return configuration
    }
}

extension PolicyMode: ExpressibleByArgument {}
