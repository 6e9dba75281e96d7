import ArgumentParser
import EIXMRules
import Foundation

/// `eixm rules lint`: every problem of a rules file.
struct RulesLintCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check a rules file and report every problem (file:line:column: key: message), not just the first.",
        discussion: "Exit status 0 when the file is valid, 1 when it has problems."
    )

    @Argument(help: "The rules file.")
    var path: String = "configs/rules.yaml"

    func run() async throws {
        let text: String
        do {
            text = try PlainFile.text(path)
        } catch {
            throw CommandError("\(error).")
        }
        let problems = RulesConfiguration.lint(yaml: text, file: path)
        for problem in problems { print(problem) }
        if problems.isEmpty {
            print("\(path): valid")
        } else {
            print("\(path): \(problems.count) problem(s)")
            throw ExitCode(1)
        }
    }
}
