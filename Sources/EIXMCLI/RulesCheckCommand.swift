import ArgumentParser
import EIXMModel
import EIXMRules
import Foundation

/// `eixm rules check`: judges JSON headers, one per line.
struct RulesCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Judge message headers (JSON, one per line) and print one decision per line.",
        discussion: """
            Lines are judged in order and each accepted message joins the case context, so a later reply, \
            refusal or forward is judged against it; each message counts as received at its created_at. A line \
            that cannot be read gets an error naming its line and field, and the other lines are still judged. \
            Exit status: 0 when every line was judged (accepted or rejected), 2 when any line could not be read.
            """
    )

    @Argument(help: "A file of JSON headers, one per line; '-' or nothing for standard input.")
    var file: String?

    @OptionGroup var rules: RulesOptions

    @Option(name: .long, help: "json (one object per line) or text.")
    var format: OutputFormat = .json

    func run() async throws {
        var check = HeaderCheck(engine: RulesEngine(configuration: try rules.configuration()))
        var unreadable = 0
        for line in try InputLines(path: file) {
            let outcome: HeaderCheck.Outcome =
                if let text = line.text {
                    check.check(line: text, number: line.number)
                } else {
                    .unreadable(
                        line: line.number,
                        error: MessageFormatError(.invalidValue, field: "line", "the line is not UTF-8 text")
                    )
                }
            if case .unreadable = outcome { unreadable += 1 }
            print(format == .json ? DecisionReport(outcome).jsonLine() : DecisionReport.text(outcome))
        }
        if unreadable > 0 { throw ExitCode(2) }
    }
}
