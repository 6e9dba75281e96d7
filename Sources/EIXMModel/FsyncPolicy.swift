/// When a log's written records are forced to disk: the audit log and the spool share the choice.
public enum FsyncPolicy: String, Sendable, CaseIterable {
    /// After every write, as soon as records arrive.
    case always
    /// Once per batch: what arrived while the previous batch was being written goes in one write and one sync
    /// (group commit).
    case batch
    /// Never: the operating system decides. What is "stored" is then only written, not synced.
    case none
}
