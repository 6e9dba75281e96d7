import EIXMAudit
import EIXMModel
import EIXMSpool
import EIXMTransport
import Foundation
import Histogram
import Logging

// Storing before answering: what the router decides is held until the audit log and the spool have stored it.
extension Router {
    func hold(_ release: Release) { unstored.append(release) }

    /// Asks the audit log and the spool to say when they have stored what is held; one commit at a time, so that
    /// what is decided while one is under way goes into the next (group commit).
    func commit() {
        handOver()
        guard !committing, !unstored.isEmpty else { return }
        committing = true
        commitStarted = ContinuousClock.now
        let count = unstored.count
        // The writers' signal comes back on the router's own thread directly: through the shared pool it would
        // queue behind the event loops' signature checks.
        let executor = self.executor
        let barrier = StorageBarrier(parts: spool == nil ? 1 : 2) { outcome in
            Task(executorPreference: executor) { await self.stored(count, outcome) }
        }
        audit.whenStored(barrier.arrive)
        spool?.whenStored(barrier.arrive)
    }

    /// Hands the run's audit events and spool records to the audit log and the spool.
    func handOver() {
        if !unlogged.isEmpty {
            audit.append(unlogged)
            unlogged.removeAll(keepingCapacity: true)
        }
        if !spoolRecords.isEmpty {
            spool?.append(spoolRecords)
            spoolRecords.removeAll(keepingCapacity: true)
        }
    }

    /// The first `count` held answers and deliveries are stored (or could not be): send them (or promise nothing).
    private func stored(_ count: Int, _ outcome: StorageOutcome) {
        committing = false
        commits.record((ContinuousClock.now - commitStarted).wholeMicroseconds)
        let released = unstored.prefix(count)
        unstored.removeFirst(count)
        switch outcome {
        case .stored:
            // Each connection's frames in order, queued at once: one wake-up of its writer per commit. An answer to a
            // node gone since is dropped with its frames (the node sends again after it reconnects).
            var frames: [NodeID: [Frame]] = [:]
            var recipients: Set<NodeID> = []
            for release in released {
                switch release {
                case .answer(let frame, let node):
                    frames[node, default: []].append(frame)
                case .delivery(let id, let node):
                    guard let frame = outboxes[node]?.store(id) else { continue }
                    if links[node] != nil {
                        recipients.insert(node)
                        statistics.delivered += 1
                        metrics.delivered(to: node, copyRule: frame.copyRule)
                        frames[node, default: []].append(frame)
                    } else {
                        statistics.queued += 1
                    }
                }
            }
            statistics.deliveryWrites += recipients.count
            for (node, frames) in frames { links[node]?.frames.enqueue(frames) }
        case .failed(let reason):
            // Nothing that may not be stored is promised: no answer (the sender sends it again after it reconnects),
            // no delivery, and the ID is forgotten so that the resend is judged again. What was decided after the
            // failed commit is withheld too: an answer to a resend of a message in the failed batch would otherwise
            // promise what is not stored.
            let withheld = Array(released) + unstored
            unstored.removeAll()
            statistics.storageFailures += 1
            metrics.storageFailure()
            logger.critical(
                "cannot store: answers and deliveries withheld",
                metadata: ["reason": "\(reason)", "withheld": "\(withheld.count)"]
            )
            // On a full disk this record may itself fail to be stored; the count says how many failures came before
            // the one that is recorded.
            var failed = event(.storageFailed)
            failed.reasons = [
                reason,
                "storage failure \(statistics.storageFailures) of this router's run; \(withheld.count) answer(s) and delivery(ies) withheld",
            ]
            audit.append([failed])
            for release in withheld {
                guard case .delivery(let id, let node) = release else { continue }
                outboxes[node]?.remove(id)
                outboxChanged(node)
                seen[id] = nil
            }
        }
        commit()
        if !committing {
            for waiter in flushWaiters { waiter.resume() }
            flushWaiters.removeAll()
        }
    }

    /// Returns once every answer and delivery decided so far is stored and released (or withheld after a storage
    /// failure): before a clean shutdown, and for tests.
    public func flushed() async {
        guard committing || !unstored.isEmpty else { return }
        await withCheckedContinuation { flushWaiters.append($0) }
    }
}
