import ArgumentParser
import EIXMExercise
import EIXMReport
import Foundation

/// `eixm load merge`: one report from the run folders of the load processes of a sharded load.
struct LoadMergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge the reports of the load processes of a sharded load (eixm load --shard K/M) into one.",
        discussion: """
            Reads report.json in each run folder; counts and rates add up, latency histograms are added, a message \
            is lost when the router answered it ACCEPTED and some addressee received it in none of the processes, \
            and the thresholds are judged again on the merged figures. Writes report.json and series.csv to --out \
            (default: runs/load-merged-<time>) and prints the report; exits with code 1 when a threshold fails.
            """
    )

    @Argument(help: "The run folders of the M load processes (each holds report.json).")
    var folders: [String]

    /// `eixm load`'s own options, where `--out` (the folder for the merged report.json and series.csv; default
    /// runs/load-merged-<time>) is parsed.
    @ParentCommand var load: LoadCommand

    func run() throws {
        let reports = try folders.map { folder -> LoadReport in
            let url = URL(fileURLWithPath: folder).appendingPathComponent("report.json")
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw CommandError("\(url.path): no such file (is \(folder) the run folder of an eixm load?)")
            }
            do {
                return try LoadReport.fromReportJSON(data)
            } catch {
                throw CommandError("\(url.path): not a report of eixm load (\(DecodingProblem(error)))")
            }
        }
        let merged: LoadReport
        do {
            merged = try LoadReport.merged(reports)
        } catch {
            throw CommandError("cannot merge: \(error)")
        }
        let folder = URL(fileURLWithPath: load.run.out ?? "runs/load-merged-\(RunOptions.stamp())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try merged.json().write(to: folder.appendingPathComponent("report.json"))
        try Data(merged.csv.utf8).write(to: folder.appendingPathComponent("series.csv"))
        try Data(RunPage(load: merged).html.utf8).write(to: folder.appendingPathComponent("report.html"))
        print(merged.text)
        print("Wrote \(folder.appendingPathComponent("report.json").path), report.html and series.csv.")
        if !merged.passed { throw ExitCode(1) }
    }
}
