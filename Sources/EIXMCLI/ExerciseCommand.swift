import ArgumentParser
import EIXMAudit
import EIXMCrypto
import EIXMExercise
import EIXMModel
import EIXMReport
import EIXMRules
import Foundation
import Logging

/// `eixm exercise`: the main job.
struct ExerciseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exercise",
        abstract: "Run a local multi-node exercise: the router and every node over mutual TLS on 127.0.0.1.",
        discussion: """
            With no option it runs the default exercise built into the binary (configs/exercise.yaml): the 31 \
            SPOCs, Europol, Eurojust and Frontex, an ephemeral PKI, simulated time at 3600x, traffic that includes \
            messages breaking rules. It prints a progress line every second and a report at the end, and writes \
            report.json and the audit log (audit/) into the run folder. Ctrl-C or SIGTERM stops the traffic, drains what is in \
            flight and reports what was done. Exit status 1 when an accepted message did not reach one of its \
            addressees by the end of the drain, or reached one twice (the report says how many). A scenario with \
            injects (--scenario tokyo, indalo, burgas, asset-recovery, or a file's injects:) plays them on the \
            simulated clock and scores each expected action from the audit log at the end ('eixm audit score' \
            scores the run again; 'eixm scenario check' judges the injects before a run); an inject later than a \
            shortened --duration is not played, and its expectations are not met.
            """
    )

    @OptionGroup var exercise: ExerciseOptions

    @Option(name: .long, help: "Real duration of the traffic, e.g. 20s or 2m (overrides the file).")
    var duration: String?

    @OptionGroup var run: RunOptions

    @OptionGroup var monitor: MonitorOptions

    func validate() throws {
        if let duration, DurationText.milliseconds(duration) == nil {
            throw ValidationError("--duration '\(duration)' is not a duration \(DurationText.examples).")
        }
    }

    func run() async throws {
        var configuration = try exercise.configuration()
        if let duration, let milliseconds = DurationText.milliseconds(duration) {
            configuration.durationSeconds = Double(milliseconds) / 1000
        }
        try OpenFileLimit.require(configuration.nodes.count * 2, "eixm exercise")
        let (pki, folder) = try run.start(&configuration, name: configuration.name)
        let readiness = RunReadiness(waitingFor: ["router listening and every node connected"])
        let livePage = LivePage(run: configuration.name)
        FileHandle.standardError.write(
            Data(
                "eixm exercise '\(configuration.name)': \(configuration.nodes.count) nodes, \(configuration.durationSeconds) s at x\(Int(configuration.timeScale)); run folder \(folder.path)\n"
                    .utf8
            )
        )
        let runner = ExerciseRunner(configuration: configuration, logger: Logger(label: "eixm.exercise"))
        let live: (@Sendable (ExerciseReport) -> Void)? =
            monitor.http == nil
            ? nil
            : { @Sendable report in livePage.show(RunPage(exercise: report)) }
        try await CommandLifecycle.run(
            "eixm exercise",
            endpoint: monitor.endpoint("eixm exercise", readiness: readiness) {
                livePage.current
            }
        ) { stop in
            let (report, audit, _) = try await runner.run(
                pki: pki,
                folder: folder,
                stop: stop,
                trafficStarted: { readiness.done("router listening and every node connected") },
                live: live,
                progress: { line in FileHandle.standardError.write(Data((line + "\n").utf8)) }
            )
            try Self.finish(report, events: audit.count, in: folder)
        }
    }

    /// Writes the run's report (report.json, series.csv, report.html), prints it, and fails the command (exit status
    /// 1) when an accepted message did not reach an addressee or reached one twice.
    private static func finish(_ finished: ExerciseReport, events: Int, in folder: URL) throws {
        var report = finished
        report.auditTreeHead = RunWitness.treeHead(in: folder)
        try report.json().write(to: folder.appendingPathComponent("report.json"))
        try Data(report.csv.utf8).write(to: folder.appendingPathComponent("series.csv"))
        try Data(RunPage(exercise: report).html.utf8).write(to: folder.appendingPathComponent("report.html"))
        print(report.text)
        print(
            "Wrote \(folder.appendingPathComponent("report.json").path), report.html, series.csv and the audit log \(folder.appendingPathComponent("audit").path)/ (\(events) routing events\(RunWitness.summary(report.auditTreeHead)); check it with 'eixm audit verify \(folder.path)')."
        )
        // Accepted messages that did not reach an addressee, or reached one twice, fail the run: the report says
        // which, and the exit status says so to a script.
        var failures: [String] = []
        if report.delivery.notActedOn > 0 {
            failures.append(
                "\(report.delivery.notActedOn) accepted (message, recipient) pair(s) were not acted on by the end of the drain"
            )
        }
        if report.delivery.actedOnTwice > 0 {
            failures.append("\(report.delivery.actedOnTwice) message(s) were acted on twice")
        }
        if !failures.isEmpty {
            FileHandle.standardError.write(Data("eixm exercise: FAILED: \(failures.joined(separator: "; ")).\n".utf8))
            throw ExitCode(1)
        }
    }

}
