import EIXMModel

/// How the spool writes and what it keeps.
public struct SpoolConfiguration: Sendable {
    /// When written records are forced to disk. With `batch` (the default) what arrives while a batch is being
    /// written and synced goes in the next one: one sync for many messages, no timer.
    public var fsync: FsyncPolicy
    /// A new segment file starts once the current one reaches this size.
    public var segmentBytes: Int
    /// How many of the latest accepted messages stay in the spool after they are delivered, so that a restarted
    /// router still knows them: to answer a resend with its ACCEPTED answer, and to judge the replies, forwards and
    /// deadlines that refer to them. Older segments whose deliveries are all acknowledged are deleted.
    public var retainMessages: Int

    public init(fsync: FsyncPolicy = .batch, segmentBytes: Int = 64 * 1024 * 1024, retainMessages: Int = 250_000) {
        self.fsync = fsync
        self.segmentBytes = segmentBytes
        self.retainMessages = retainMessages
    }
}
