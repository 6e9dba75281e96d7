import ArgumentParser
import EIXMExercise
import EIXMRules
import EIXMScenario
import Foundation

/// `eixm scenario check`: judges every inject with the rules, without running anything.
struct ScenarioCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract:
            "Judge a scenario's injects with the rules (a dry run) and report expectations the rules make impossible.",
        discussion: """
            Every message inject is judged in order, as the router would judge it at its time (with the policy \
            mode of that time, and the injects before it as case context): the command prints its verdict, the \
            rules that apply, where it goes (addressees, copies, notifications) and its deadline. An expectation \
            the rules make impossible (a verdict or rule that does not follow, a receiver the rules do not send \
            it to, an answer from a node that never gets it, a deadline that is not set), an inject from a node \
            not in the exercise or a file that cannot be read is a problem, printed as FILE:LINE:COLUMN: key: \
            sentence. Exit status 1 when there is any problem.
            """
    )

    @Argument(help: "A scenario file (an exercise file with injects), or a built-in scenario's name.")
    var scenario: String

    func run() async throws {
        let source: ScenarioSource
        do {
            source = try ScenarioSource(scenario)
        } catch {
            print(error.description)
            throw ExitCode(1)
        }
        let configuration = source.configuration
        guard !configuration.script.isEmpty else {
            print("\(source.file): no injects (a scenario's script is its 'injects:' list)")
            throw ExitCode(1)
        }
        let check = ScriptCheck(
            script: configuration.script,
            rules: configuration.rules,
            nodes: configuration.nodes,
            start: configuration.start,
            file: source.file
        )
        let (judged, problems) = check.run()
        print(ScriptCheck.text(judged))
        let events = configuration.script.injects.count - judged.count
        print(
            "\(judged.count) message inject(s)\(events > 0 ? " and \(events) event(s)" : ""); \(problems.isEmpty ? "no problems" : "\(problems.count) problem(s):")"
        )
        for problem in problems { print(problem.description) }
        if !problems.isEmpty { throw ExitCode(1) }
    }
}
