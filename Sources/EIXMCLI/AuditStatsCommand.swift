import ArgumentParser
import EIXMAudit
import EIXMAuditIndex
import Foundation

/// `eixm audit stats`: counts over a log.
struct AuditStatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract:
            "Count an audit log's records by event, channel, rule and node; deadlines by class; messages over time."
    )

    @Argument(help: "A run folder, or its audit/ folder.")
    var directory: String

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    func run() async throws {
        let folder = try RunAuditFolder(directory)
        var summary = AuditSummary()
        let unreadable: [AuditReader.Unreadable]
        if let index = try AuditIndex.ifPresent(log: folder.audit) {
            try index.update()
            summary = try index.summary()
            unreadable = try index.unreadable()
        } else {
            unreadable = try AuditReader.forEach(directory: folder.audit) { summary.add($0) }
        }
        if format == .json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(summary), as: UTF8.self))
        } else {
            // Counts by size, largest first; hours in time order. A heading with nothing under it says "none".
            func table(_ title: String, _ counts: [String: Int], byKey: Bool = false) {
                print(title + (counts.isEmpty ? " none" : ""))
                let width = max(28, counts.keys.map(\.count).max() ?? 0)
                let sorted = counts.sorted {
                    byKey ? $0.key < $1.key : ($0.value != $1.value ? $0.value > $1.value : $0.key < $1.key)
                }
                for (key, value) in sorted {
                    print("    \(key.padding(toLength: width, withPad: " ", startingAt: 0)) \(value)")
                }
            }
            print("\(summary.records) record(s)")
            table("By event:", summary.byEvent)
            table("Received by channel:", summary.byChannel)
            table("Rejections by rule:", summary.byRule)
            table("Received by sender:", summary.bySender)
            table("Deadlines met:", summary.deadlinesMet)
            table("Deadlines breached:", summary.deadlinesBreached)
            table("Received per simulated hour:", summary.receivedPerHour, byKey: true)
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
