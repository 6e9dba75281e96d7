import ArgumentParser
import EIXMAudit
import EIXMAuditIndex
import Foundation

/// `eixm audit index`: builds or updates the SQLite index `query` and `stats` answer from.
struct AuditIndexCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Build or update the log's SQLite index (audit/index.sqlite), which query and stats then use.",
        discussion: """
            Only the records appended since the last update are read. A log changed under its index (its last \
            indexed record is no longer there) is indexed again from the start. Once the index exists, query and \
            stats update it before they answer.
            """
    )

    @Argument(help: "A run folder, or its audit/ folder.")
    var directory: String

    func run() async throws {
        let folder = try RunAuditFolder(directory)
        let index = try AuditIndex(log: folder.audit)
        let update = try index.update()
        print("\(index.file.path): \(update)")
    }
}
