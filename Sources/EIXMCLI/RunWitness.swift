import EIXMAudit
import Foundation

/// The router's witness file in a run folder, for the run's report.
enum RunWitness {
    /// The signed tree head the router left in `folder` (`tree-head.json`), when it did.
    static func treeHead(in folder: URL) -> AuditTreeHead? {
        let file = folder.appendingPathComponent("tree-head.json")
        guard FileManager.default.fileExists(atPath: file.path) else { return nil }
        return try? AuditTreeHead.read(from: file)
    }

    /// How many records the log holds, with its own (opened, recovered, checkpoint) records, and its last tree head;
    /// or nothing.
    static func summary(_ head: AuditTreeHead?) -> String {
        head.map {
            " in \($0.treeSize + 1) records with the log's own opened and checkpoint records; tree head \($0.treeSize) records, root \($0.root.prefix(16))...\($0.final ? " (final)" : "")"
        } ?? ""
    }
}
