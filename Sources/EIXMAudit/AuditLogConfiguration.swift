/// How the file audit log writes.
public struct AuditLogConfiguration: Sendable {
    /// When written records are forced to disk.
    public enum FsyncPolicy: String, Sendable, CaseIterable {
        /// After every write, as soon as records arrive.
        case always
        /// Once per batch: records gathered for at most `batchWindowMilliseconds` are written and synced together.
        case batch
        /// Never: the operating system decides.
        case none
    }

    public var fsync: FsyncPolicy
    /// The longest a record waits before it is written (batch policy).
    public var batchWindowMilliseconds: Int
    /// A new segment file starts once the current one reaches this size.
    public var segmentBytes: Int
    /// A signed checkpoint after this many records...
    public var checkpointEvery: Int
    /// ...or after this many seconds, whichever comes first (and always at close).
    public var checkpointSeconds: Double

    public init(
        fsync: FsyncPolicy = .batch,
        batchWindowMilliseconds: Int = 20,
        segmentBytes: Int = 64 * 1024 * 1024,
        checkpointEvery: Int = 10_000,
        checkpointSeconds: Double = 5
    ) {
        self.fsync = fsync
        self.batchWindowMilliseconds = batchWindowMilliseconds
        self.segmentBytes = segmentBytes
        self.checkpointEvery = checkpointEvery
        self.checkpointSeconds = checkpointSeconds
    }
}
