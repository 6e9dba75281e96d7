import ArgumentParser
import EIXMExercise
import EIXMRules

/// The exercise file or scenario a command runs with, shared by `exercise`, `router` and `node`.
struct ExerciseOptions: ParsableArguments {
    @Option(name: .long, help: "An exercise file (default: the built-in configs/exercise.yaml).")
    var config: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "A built-in scenario instead: tokyo, tokyo-outages (the Tokyo case with faults), indalo, burgas or asset-recovery (storylines with scored injects).",
            valueName: "name"
        ),
        completion: .list(ExerciseConfiguration.scenarios.keys.sorted())
    )
    var scenario: String?

    @Flag(
        name: .customLong("print-config"),
        help:
            "Print the exercise file that would run (the built-in one, or the scenario's) and exit: a starting point for your own."
    )
    var printConfig = false

    func validate() throws {
        if config != nil, scenario != nil { throw ValidationError("Give --config or --scenario, not both.") }
        if let scenario, ExerciseConfiguration.scenarios[scenario] == nil {
            throw ValidationError(
                "Unknown scenario '\(scenario)'; built in: \(ExerciseConfiguration.scenarios.keys.sorted().joined(separator: ", "))."
            )
        }
        // Printed before anything runs, by every command that takes an exercise file.
        if let text = try printedConfig() {
            throw CleanExit.message(text.hasSuffix("\n") ? String(text.dropLast()) : text)
        }
    }

    /// With `--print-config`, the text of the exercise file that would run; `nil` otherwise.
    func printedConfig() throws -> String? {
        guard printConfig else { return nil }
        if let config { return try ConfigReader.text(ofFile: config) }
        if let scenario { return ExerciseConfiguration.scenarios[scenario] }
        return ExerciseConfiguration.defaultYAML
    }

    func configuration() throws -> ExerciseConfiguration {
        if let config { return try ExerciseConfiguration.load(path: config) }
        if let scenario {
            return try ExerciseConfiguration.load(
                yaml: ExerciseConfiguration.scenarios[scenario]!,
                file: "scenario \(scenario)"
            )
        }
        return ExerciseConfiguration.builtIn()
    }
}

/// `HOST:PORT`.
struct HostPort: ExpressibleByArgument {
    let host: String
    let port: Int

    init?(argument: String) {
        guard let colon = argument.lastIndex(of: ":"), let port = Int(argument[argument.index(after: colon)...]),
            (0...65_535).contains(port), colon > argument.startIndex
        else { return nil }
        host = String(argument[..<colon])
        self.port = port
    }
}
