import ArgumentParser
import EIXMExercise
import EIXMRules

/// The exercise file or scenario a command runs with, shared by `exercise`, `router` and `node`.
struct ExerciseOptions: ParsableArguments {
    @Option(name: .long, help: "An exercise file (default: the built-in configs/exercise.yaml).")
    var config: String?

    @Option(
        name: .long,
        help: "A built-in scenario instead: tokyo, tokyo-outages (the Tokyo case with faults) or indalo."
    )
    var scenario: String?

    func validate() throws {
        if config != nil, scenario != nil { throw ValidationError("Give --config or --scenario, not both.") }
        if let scenario, ExerciseConfiguration.scenarios[scenario] == nil {
            throw ValidationError(
                "Unknown scenario '\(scenario)'; built in: \(ExerciseConfiguration.scenarios.keys.sorted().joined(separator: ", "))."
            )
        }
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
