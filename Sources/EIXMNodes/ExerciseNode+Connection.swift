import EIXMCrypto
import EIXMModel
import EIXMTransport
import Foundation
import Logging

extension ExerciseNode: RouterSessionHandler {
    /// Keeps a session with the router until `end`: the session reconnects with backoff and sends again what the
    /// router has not answered; the node stays away during its behaviour's offline windows.
    func stayConnected(until end: Timestamp) async {
        connectUntil = end
        await session.run(self)
    }

    /// Returns once the node has been welcomed by the router at least once (`true`), or has stopped trying to
    /// connect without ever being welcomed (`false`).
    public func firstConnection() async -> Bool { await session.firstWelcome() }

    public func mayConnect() async -> Bool {
        while let windowEnd = offlineWindowEnd() {
            logger.info("offline window", metadata: ["until": "\(windowEnd)"])
            do { try await clock.sleep(until: windowEnd) } catch { return false }
        }
        guard let connectUntil else { return false }
        return clock.now < connectUntil
    }

    public func welcomed(_ welcome: Frame.Welcome) {
        clock.follow(welcome.simulatedTime, scale: welcome.timeScale)
    }

    public func shouldLeave() -> Bool { shouldLeave(until: connectUntil ?? clock.now) }

    private func offlineWindowEnd() -> Timestamp? { currentOfflineWindow().map { offset(hours: $0.upperBound) } }

    func shouldLeave(until end: Timestamp) -> Bool {
        currentOfflineWindow() != nil || clock.now >= end
    }

    private func currentOfflineWindow() -> ClosedRange<Double>? {
        let hours = Double(clock.now.millisecondsSinceEpoch - start.millisecondsSinceEpoch) / 3_600_000
        return behaviour.offline.first { $0.contains(hours) }
    }

    func offset(hours: Double) -> Timestamp {
        Timestamp(millisecondsSinceEpoch: start.millisecondsSinceEpoch + Int64(hours * 3_600_000))
    }

    /// The router's answer to a message this node sent.
    public func answered(_ id: UUID, refusal: Frame.Refusal?) {
        guard let sent = unanswered.removeValue(forKey: id) else { return }
        // Written with the next record that must be synced: lost in a crash, it only means one more resend.
        if journal != nil { journalEntries.append(.answered(id)) }
        guard let refusal else {
            statistics.accepted += 1
            metrics.answered(accepted: true)
            statistics.acceptedHeaders.append(sent)
            return
        }
        // A resend of a message the router accepted is answered ACCEPTED again; a DUPLICATE refusal means the
        // message was refused before, so it counts as rejected like any other refusal.
        statistics.rejected += 1
        metrics.answered(accepted: false)
        statistics.refusedMessages.insert(id)
        for reason in refusal.reasons { statistics.rejectionsByRule[reason.rule, default: 0] += 1 }
    }

    /// Verifies a delivery and acts on it once; the session sends the signed receipt once this returns what it says.
    public func delivered(_ delivery: Frame.Delivery) -> DeliveryReceipt.Content? {
        guard let envelope = try? Envelope(wireBytes: delivery.envelope), let verified = keys.verifiedDelivery(envelope)
        else {
            statistics.badSignatures += 1
            metrics.badSignature()
            return nil
        }
        let id = envelope.header.id
        // Recorded before the acknowledgement: once the router has the ACK, the delivery counts as acted on.
        guard statistics.actedOn.insert(id).inserted else {
            statistics.duplicatesSuppressed += 1
            metrics.duplicateSuppressed()
            return writeJournal() ? verified.receipt(at: clock.now) : nil
        }
        statistics.received += 1
        metrics.deliveryActedOn()
        if let deadline = delivery.deadline, delivery.copyRule == nil, envelope.header.messageType == .request {
            receivedDeadlines[id] = deadline
        }
        act(on: envelope.header, asCopy: delivery.copyRule != nil)
        statistics.actedOnTimes.append(.init(message: id, created: envelope.header.createdAt, actedOn: clock.now))
        // Acted on (and the answers it calls for scheduled) on disk before the ACK: not acted on again after a crash.
        if journal != nil { journalEntries.append(.actedOn(id)) }
        return writeJournal() ? verified.receipt(at: clock.now) : nil
    }
}
