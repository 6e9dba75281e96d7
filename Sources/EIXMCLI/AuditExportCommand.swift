import ArgumentParser
import EIXMAudit
import EIXMAuditIndex
import EIXMRules
import Foundation

/// `eixm audit export`: the log as an SQLite database an auditor opens with `sqlite3`.
struct AuditExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the log as an SQLite database: a table of records (a column per field) and the rules.",
        discussion: """
            Tables: records (seq, real_time, simulated_time, event, message_id, case_id, in_reply_to, sender, \
            recipients, channel, msg_type, handling_codes, contains_personal_data, rules, reasons, claimed, \
            certified, node, certificate_sha256, peer_address, hash; lists space-separated, reasons separated by \
            ' | '), record_nodes (node, seq), record_rules (rule, seq), rules (id, summary, source), counts. \
            README.md gives example questions.
            """
    )

    @Argument(help: "A run folder, or its audit/ folder.")
    var directory: String

    @Option(help: "The database file to write (replaced if it exists).")
    var sqlite: String

    func run() async throws {
        let folder = try RunAuditFolder(directory)
        let file = URL(fileURLWithPath: sqlite)
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: file.path + suffix) }
        let index = try AuditIndex(log: folder.audit, file: file)
        let update = try index.update()
        try index.addRules(RuleID.allCases.map { (id: $0.rawValue, summary: $0.summary, source: $0.source) })
        print("Wrote \(file.path): \(update); \(RuleID.allCases.count) rules. Open it with: sqlite3 \(file.path)")
    }
}
