import EIXMExercise
import EIXMRules
import Foundation

/// A scenario named on the command line: a file, or the name of a built-in scenario (`tokyo`, `burgas`, ...).
struct ScenarioSource {
    /// How problems name it: the path, or `scenario NAME`.
    let file: String
    let configuration: ExerciseConfiguration

    init(_ argument: String) throws(ConfigurationError) {
        if let text = ExerciseConfiguration.scenarios[argument], !FileManager.default.fileExists(atPath: argument) {
            file = "scenario \(argument)"
            configuration = try ExerciseConfiguration.load(yaml: text, file: file)
        } else {
            guard FileManager.default.fileExists(atPath: argument) else {
                let names = ExerciseConfiguration.scenarios.keys.sorted().joined(separator: ", ")
                throw ConfigurationError(problems: [
                    ConfigurationProblem(
                        file: argument,
                        line: 0,
                        column: 0,
                        key: "",
                        message: "no such file, and not a built-in scenario (\(names))"
                    )
                ])
            }
            file = argument
            configuration = try ExerciseConfiguration.load(path: argument)
        }
    }
}
