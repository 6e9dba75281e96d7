import EIXMAudit
import EIXMModel
import EIXMRules
import EIXMSpool
import EIXMTransport
import Foundation
import Logging

/// What a restarted router rebuilt from its spool.
public struct RouterRecovery: Sendable, Hashable, CustomStringConvertible {
    /// Accepted messages read back (remembered against resends, and judged again into the case context).
    public var messages = 0
    /// (message, recipient) pairs accepted and not yet acknowledged: delivered when their recipients connect.
    public var waitingDeliveries = 0
    /// Requests whose deadline still runs.
    public var openDeadlines = 0
    /// Records whose envelope could not be read (none, unless the spool was changed by hand).
    public var unreadable = 0
    /// What the spool cut when it was opened (a torn tail, or damage cut with --repair).
    public var cut: String?
    /// Accepted messages the spool held and the audit log did not (a crash between the two storing the same commit),
    /// audited on restoring them.
    public var auditedNow = 0
    /// Accepted messages the audit log held and the spool did not (a crash between the two storing the same commit):
    /// neither answered nor delivered, audited as `storage_failed`.
    public var neverStored = 0

    public var description: String {
        "\(messages) accepted message(s) restored, \(waitingDeliveries) delivery(ies) waiting, \(openDeadlines) open deadline(s)"
            + (auditedNow > 0
                ? ", \(auditedNow) of them stored in the spool but not yet in the audit log before a crash, audited now"
                : "")
            + (neverStored > 0
                ? ", \(neverStored) accepted message(s) in the audit log but not yet stored in the spool before a crash, never answered or delivered: audited as storage_failed, a resend is judged again"
                : "")
            + (unreadable > 0 ? ", \(unreadable) unreadable record(s)" : "") + (cut.map { "; spool \($0)" } ?? "")
    }
}

extension Router {
    /// Rebuilds, from the records of its spool, what the router had promised before it stopped: the deliveries not
    /// yet acknowledged (sent when their recipients connect), the message IDs (a resend gets its ACCEPTED answer
    /// again), the case context and the open deadlines. Each accepted message is judged again in the order and at the
    /// time it was first judged, so that replies, forwards and deadlines after the restart are judged as they would
    /// have been without it. Call it before serving; it audits what it restored.
    ///
    /// `inDoubt`: what of the last commit before a crash one log stored and the other did not. What the spool kept
    /// and the audit log did not is delivered, and its acceptance is audited here, as it is judged again, saying why it
    /// comes late (its sender was not answered, and a resend is answered as a duplicate). What the audit log kept and
    /// the spool did not was never answered or delivered: each is audited as `storage_failed`, saying so, and its
    /// resend is judged again (the router does not remember it).
    public func recover(_ recovery: Spool.Recovery, inDoubt: CommitInDoubt = CommitInDoubt()) -> RouterRecovery {
        var summary = RouterRecovery(cut: recovery.cut)
        for acceptance in inDoubt.auditLogOnly {
            var failed = event(.storageFailed)
            failed.messageID = acceptance.messageID.flatMap(UUID.init(uuidString:))
            failed.caseID = acceptance.caseID
            failed.sender = acceptance.sender.flatMap(NodeID.init)
            failed.reasons = [
                "not stored before a crash: the audit log had stored its acceptance (record \(acceptance.seq)), the spool not yet; the message was neither answered nor delivered, its delivered records promised what never left, and a resend is judged again"
            ]
            audit.append([failed])
            summary.neverStored += 1
        }
        for record in recovery.records {
            switch record {
            case .accepted(let message):
                guard let envelope = try? Envelope(wireBytes: message.envelope) else {
                    summary.unreadable += 1
                    continue
                }
                let header = envelope.header
                let digests = MessageDigests(of: envelope)
                remember(header.id, Routed(fingerprint: digests.fingerprint, refusal: nil))
                let decision = engine.decide(header, receivedAt: message.receivedAt, context: context)
                if inDoubt.spoolOnly.contains(header.id) {
                    var accepted = event(.accepted, header, at: (Timestamp(Date()), message.receivedAt))
                    accepted.headerDigest = digests.header
                    accepted.bodyDigest = digests.body
                    accepted.rules = decision.firings.map(\.rule.rawValue)
                    accepted.reasons = [
                        "restored from the spool after a crash: the spool had stored the message, the audit log not yet its acceptance"
                    ]
                    audit.append([accepted])
                    summary.auditedNow += 1
                }
                context.record(header, decision: decision, receivedAt: message.receivedAt)
                var replayed: [AuditEvent] = []
                trackDeadlines(header, decision, now: message.receivedAt, events: &replayed, counting: false)
                for target in message.targets {
                    let frame = Frame.delivery(
                        Frame.Delivery(
                            envelope: message.envelope,
                            copyRule: target.copyRule,
                            deadline: message.deadline
                        )
                    )
                    outboxes[target.node, default: Outbox()].append(header.id, frame, digests: digests)
                }
                summary.messages += 1
            case .delivered(let id, let node):
                outboxes[node]?.remove(id)
            case .deadlineBreached(let id):
                _ = deadlines.close(id)
            }
        }
        summary.waitingDeliveries = outboxes.values.reduce(0) { $0 + $1.count }
        for node in outboxes.keys { outboxChanged(node) }
        summary.openDeadlines = deadlines.countsByRule.values.reduce(0, +)
        var restored = event(.restored)
        restored.reasons = ["\(summary)"]
        audit.append([restored])
        logger.notice("router state restored from the spool", metadata: ["recovery": "\(summary)"])
        return summary
    }
}
