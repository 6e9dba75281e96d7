import EIXMAudit
import EIXMSpool
import Foundation

/// What a crash left in doubt. The router stores each commit in its spool and its audit log at once, one commit at a
/// time, so a crash can leave its last commit in one of the two and not in the other. Found after a crash only (the
/// audit log says it was not closed), by reading the audit log's `accepted` records against the spool's messages.
public struct CommitInDoubt: Sendable {
    /// Accepted messages the spool stored and the audit log did not: the router restores and delivers them, and audits
    /// their acceptance as it restores them.
    public var spoolOnly: Set<UUID> = []
    /// The audit log's `accepted` records of messages the spool did not store: they were neither answered nor
    /// delivered (their `delivered` records promised what never left), so the router audits each as `storage_failed`,
    /// and a resend is judged again.
    public var auditLogOnly: [AuditRecord] = []

    public init(spoolOnly: Set<UUID> = [], auditLogOnly: [AuditRecord] = []) {
        self.spoolOnly = spoolOnly
        self.auditLogOnly = auditLogOnly
    }

    /// Compares the two logs as reopened; nothing is in doubt when the audit log was closed cleanly.
    public init(spool: Spool, recovery: Spool.Recovery, auditLog: FileAuditLog) throws {
        guard auditLog.recovery != nil else { return }
        let ids = recovery.acceptedIDs
        let newest = recovery.newestAcceptedID
        // A spool that keeps no delivered message cannot say which acceptances it never stored.
        guard newest != nil || spool.configuration.retainMessages > 0 else { return }
        let (named, unspooled) = try AuditReader.acceptances(
            against: ids,
            newest: newest,
            directory: auditLog.directory
        )
        spoolOnly = ids.subtracting(named)
        auditLogOnly = unspooled
    }

    public var isEmpty: Bool { spoolOnly.isEmpty && auditLogOnly.isEmpty }
}
