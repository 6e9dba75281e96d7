import ArgumentParser
import EIXMAudit
import EIXMExercise
import EIXMModel
import EIXMScenario
import Foundation

/// `eixm audit score`: scores a scripted run again from its audit log and its scenario.
struct AuditScoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract:
            "Score a scripted exercise from its audit log and its scenario: every inject's expected actions, each node's play.",
        discussion: """
            Reads only the log and the scenario: the same run gives the same score as its report. Each inject's \
            message is found among the records the router wrote (its sender, type, case and addressees, at or \
            after its time), and each expected action is met, late or not met, with the sequence numbers of the \
            records that show it.
            """
    )

    @Argument(help: "A run folder, or its audit/ folder.")
    var directory: String

    @Option(help: "The scenario the run played: a file, or a built-in scenario's name.")
    var scenario: String

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    func run() async throws {
        let folder = try RunAuditFolder(directory)
        let source = try ScenarioSource(scenario)
        let configuration = source.configuration
        guard !configuration.script.isEmpty else {
            throw CommandError("\(source.file) has no injects: nothing to score")
        }
        // Read twice, a segment at a time (ScriptScorer): a long run's log is never held whole.
        var unreadable: [AuditReader.Unreadable] = []
        let score = try ScriptScorer(
            script: configuration.script,
            scenario: configuration.name,
            start: configuration.start
        ).score { body in unreadable = try AuditReader.forEach(directory: folder.audit) { body($0) } }
        for problem in unreadable { FileHandle.standardError.write(Data("unreadable record: \(problem)\n".utf8)) }
        if format == .json {
            print(String(decoding: try SnakeCaseJSON.encoder().encode(score), as: UTF8.self))
        } else {
            print(score.text)
        }
    }
}
