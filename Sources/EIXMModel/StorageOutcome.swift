/// Whether records handed to a log are stored (written, and synced as its fsync policy says), or could not be.
public enum StorageOutcome: Sendable, Hashable {
    case stored
    /// The write or sync failed (a full disk, an I/O error): the sentence says what and where.
    case failed(String)
}
