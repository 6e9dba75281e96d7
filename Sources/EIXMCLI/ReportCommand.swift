import ArgumentParser
import EIXMExercise
import EIXMReport
import Foundation

/// `eixm report RUNFOLDER`: the after-action page (report.html) rebuilt from a run folder's report.json.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Rebuild report.html from the report.json of an exercise or load run folder.",
        discussion: """
            Every 'eixm exercise' and 'eixm load' writes report.html beside report.json: one self-contained page \
            (inline SVG charts and CSS, no script, no network) with throughput and latency over time, rejections by \
            rule with each rule's text and legal source, deadline outcomes, the traffic between nodes, queues of \
            offline nodes, the fault timeline and the run's settings. This command writes it again, from the \
            report.json alone (after an upgrade of eixm, say).
            """
    )

    @Argument(help: "The run folder (holding report.json).", completion: .directory)
    var folder: String

    @Option(name: .long, help: "Where to write the page (default: RUNFOLDER/report.html).")
    var out: String?

    func run() throws {
        let folder = URL(fileURLWithPath: folder)
        let page = try Self.page(from: folder.appendingPathComponent("report.json"))
        let destination = out.map { URL(fileURLWithPath: $0) } ?? folder.appendingPathComponent("report.html")
        try Data(page.html.utf8).write(to: destination)
        print("Wrote \(destination.path).")
    }

    /// The page of the run whose report is `file`: an exercise's or a load run's, whichever it is.
    static func page(from file: URL) throws -> RunPage {
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw CommandError(
                "\(file.path): no such file (is \(file.deletingLastPathComponent().path) the folder of an exercise or load run?)"
            )
        }
        do {
            return RunPage(exercise: try ExerciseReport.fromReportJSON(data))
        } catch let exerciseProblem {
            do {
                return RunPage(load: try LoadReport.fromReportJSON(data))
            } catch {
                throw CommandError(
                    "\(file.path): neither an exercise's report (\(DecodingProblem(exerciseProblem))) nor a load run's (\(DecodingProblem(error)))"
                )
            }
        }
    }
}
