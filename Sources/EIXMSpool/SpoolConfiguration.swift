import EIXMModel

/// How the spool writes and what it keeps.
public struct SpoolConfiguration: Sendable {
    /// When written records are forced to disk. With `batch` (the default) what arrives while a batch is being
    /// written and synced goes in the next one: one sync for many messages, no timer.
    public var fsync: FsyncPolicy
    /// How long records that no one has asked about yet (``Spool/whenStored(_:)``) wait for a question before they
    /// are written and synced anyway. The router asks at each of its commits, one at a time, and everything appended
    /// until then goes in that commit: one write and one sync per commit, instead of another sync between two
    /// commits for what was appended meanwhile (which promised nothing more). A question, a close or a halt ends
    /// the wait at once.
    public var lingerMilliseconds: Int
    /// A new segment file starts once the current one reaches this size.
    public var segmentBytes: Int
    /// How many of the latest accepted messages stay in the spool after they are delivered, so that a restarted
    /// router still knows them: to answer a resend with its ACCEPTED answer, and to judge the replies, forwards and
    /// deadlines that refer to them. Older segments whose deliveries are all acknowledged are deleted.
    public var retainMessages: Int

    public init(
        fsync: FsyncPolicy = .batch,
        segmentBytes: Int = 64 * 1024 * 1024,
        retainMessages: Int = 250_000,
        lingerMilliseconds: Int = 10
    ) {
        self.fsync = fsync
        self.lingerMilliseconds = lingerMilliseconds
        self.segmentBytes = segmentBytes
        self.retainMessages = retainMessages
    }
}
