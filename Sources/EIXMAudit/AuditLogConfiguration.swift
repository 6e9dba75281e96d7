import EIXMMerkle
import EIXMModel
import Foundation

/// How the file audit log writes.
public struct AuditLogConfiguration: Sendable {
    /// When written records are forced to disk (shared with the spool).
    public typealias FsyncPolicy = EIXMModel.FsyncPolicy

    public var fsync: FsyncPolicy
    /// The longest a record waits for others to join its batch before it is written (batch policy). 0: none; a batch
    /// is what arrived while the previous one was being written and synced, which bounds the wait by one sync.
    public var batchWindowMilliseconds: Int
    /// How long events that no one has asked about yet (``FileAuditLog/whenStored(_:)``) wait for a question
    /// before they are written anyway (a close or a halt ends the wait too). The router asks at each of its commits,
    /// one at a time: what it appended until then goes in that commit, with one checkpoint and one sync, instead of
    /// a commit of its own in between that promised nothing and that the asked one then waited behind.
    public var lingerMilliseconds: Int
    /// A new segment file starts once the current one reaches this size.
    public var segmentBytes: Int
    /// A signed checkpoint after this many records...
    public var checkpointEvery: Int
    /// ...or after this many seconds, whichever comes first (and always at close).
    public var checkpointSeconds: Double
    /// Where the latest signed tree head is kept outside the log (the witness file, `tree-head.json` of a run
    /// folder): rewritten after each checkpoint, and checked when the log is opened again. Nil: none.
    public var treeHeadFile: URL?
    /// Whether the writer keeps the Merkle tree (always, except to measure what keeping it costs: without it the
    /// checkpoints carry the empty tree's root and the log does not verify).
    @_spi(Benchmark) public var keepsMerkleTree = true

    public init(
        fsync: FsyncPolicy = .batch,
        batchWindowMilliseconds: Int = 0,
        segmentBytes: Int = 64 * 1024 * 1024,
        checkpointEvery: Int = 10_000,
        checkpointSeconds: Double = 5,
        treeHeadFile: URL? = nil,
        lingerMilliseconds: Int = 10
    ) {
        self.fsync = fsync
        self.lingerMilliseconds = lingerMilliseconds
        self.batchWindowMilliseconds = batchWindowMilliseconds
        self.segmentBytes = segmentBytes
        self.checkpointEvery = checkpointEvery
        self.checkpointSeconds = checkpointSeconds
        self.treeHeadFile = treeHeadFile
    }
}
