import ArgumentParser
import EIXMAudit
import Foundation

/// `eixm audit stats`: counts over a log.
struct AuditStatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract:
            "Count an audit log's records by event, channel, rule and node; deadlines by class; messages over time."
    )

    @Argument(help: "The audit folder.")
    var directory: String

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    func run() async throws {
        let (records, unreadable) = try AuditReader.read(directory: URL(fileURLWithPath: directory))
        let summary = AuditSummary(records)
        if format == .json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(summary), as: UTF8.self))
        } else {
            func table(_ title: String, _ counts: [String: Int]) {
                print(title)
                for (key, value) in counts.sorted(by: { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key })
                {
                    print("    \(key.padding(toLength: 28, withPad: " ", startingAt: 0)) \(value)")
                }
            }
            print("\(summary.records) record(s)")
            table("By event:", summary.byEvent)
            table("Received by channel:", summary.byChannel)
            table("Rejections by rule:", summary.byRule)
            table("Received by sender:", summary.bySender)
            table("Deadlines met:", summary.deadlinesMet)
            table("Deadlines breached:", summary.deadlinesBreached)
            table("Received per simulated hour:", summary.receivedPerHour)
            print(
                String(
                    format: "Messages per real second: peak %d, average %.1f",
                    summary.peakPerSecond,
                    summary.averagePerSecond
                )
            )
        }
        for line in unreadable { FileHandle.standardError.write(Data("unreadable: \(line)\n".utf8)) }
        if !unreadable.isEmpty { throw ExitCode(2) }
    }
}
