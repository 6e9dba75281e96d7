import EIXMCrypto
import EIXMModel
import EIXMTransport
import Foundation
import Logging

extension ExerciseNode {
    /// Keeps a connection to the router until `end`, reconnecting with exponential backoff and jitter, and
    /// staying away during the behaviour's offline windows. Runs outside the actor: the connection's frames stay
    /// in this task; only Sendable values cross into the actor.
    nonisolated func stayConnected(until end: Timestamp) async {
        var attempt = 0
        while !Task.isCancelled, clock.now < end {
            if let windowEnd = await offlineWindowEnd() {
                logger.info("offline window", metadata: ["until": "\(windowEnd)"])
                try? await clock.sleep(until: windowEnd)
                continue
            }
            do {
                try await transport.connect { connection in try await self.session(connection, until: end) }
                attempt = 0
            } catch {
                logger.debug("connection ended", metadata: ["reason": "\(error)"])
            }
            await disconnected()
            guard !Task.isCancelled, clock.now < end else { break }
            let backoff = min(0.05 * pow(2, Double(min(attempt, 6))), 2.0) * (await jitter())
            attempt += 1
            try? await Task.sleep(for: .seconds(backoff))
        }
        await stoppedConnecting()
    }

    /// One live connection: HELLO, wait for WELCOME, send again what the router has not acknowledged, then read
    /// frames while a child task sends heartbeats.
    private nonisolated func session(_ connection: PeerConnection, until end: Timestamp) async throws {
        try await connection.outbound.send([.hello(node: nodeID)])
        var frames = connection.inbound.makeAsyncIterator()
        guard case .welcome(let welcome) = try await frames.next() else {
            throw FrameError(.invalidValue, "the router did not answer HELLO with WELCOME")
        }
        clock.follow(welcome.simulatedTime, scale: welcome.timeScale)
        let outbound = connection.outbound
        // Everything the node sends goes through one queue and one writer, so that reading never waits for the
        // router to read (it pauses reading from a node that is slow to read what it is answered).
        let outgoing = FrameQueue()
        defer { outgoing.close() }
        let waiting = await connected(outgoing)
        outgoing.enqueue(waiting.map { .message(envelope: $0) })
        let heartbeat = Double(max(welcome.heartbeatMilliseconds, 50)) / 1000
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await outgoing.drain { try await outbound.send($0) } }
            group.addTask {
                while !Task.isCancelled {
                    try await Task.sleep(for: .seconds(heartbeat))
                    if await self.shouldLeave(until: end) {
                        outgoing.enqueue([.goodbye(reason: "going offline")])
                        return
                    }
                    outgoing.enqueue([.heartbeat])
                }
            }
            while let frame = try await frames.next() {
                if case .goodbye = frame { break }
                await handle(frame)
            }
            group.cancelAll()
        }
    }

    /// The connection is live: keep its queue of frames to send, and return what must be sent again.
    private func connected(_ outgoing: FrameQueue) -> [[UInt8]] {
        statistics.connections += 1
        self.outgoing = outgoing
        for waiter in awaitingFirstConnection { waiter.resume() }
        awaitingFirstConnection.removeAll()
        return unacknowledged.map(\.bytes)
    }

    private func disconnected() { outgoing = nil }

    /// Returns once the node has been welcomed by the router at least once (`true`), or has stopped trying to
    /// connect without ever being welcomed (`false`).
    func firstConnection() async -> Bool {
        if statistics.connections == 0, !connecting { return false }
        if statistics.connections == 0 { await withCheckedContinuation { awaitingFirstConnection.append($0) } }
        return statistics.connections > 0
    }

    /// The node stopped trying to connect (its time is up, or its task was cancelled): nobody waits any longer.
    private func stoppedConnecting() {
        connecting = false
        for waiter in awaitingFirstConnection { waiter.resume() }
        awaitingFirstConnection.removeAll()
    }

    private func jitter() -> Double { Double.random(in: 0.5...1.5, using: &random) }

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

    /// Acts on one frame from the router.
    func handle(_ frame: Frame) {
        switch frame {
        case .delivery(let delivery):
            receive(delivery)
        case .ack(let ack) where ack.kind == .accepted:
            guard let sent = answered(ack.message) else { break }
            statistics.accepted += 1
            statistics.acceptedHeaders.append(sent)
        case .nack(let refusal):
            // A resend of a message the router accepted is answered ACCEPTED again; a DUPLICATE refusal means the
            // message was refused before, so it counts as rejected like any other refusal.
            guard answered(refusal.message) != nil else { break }
            statistics.rejected += 1
            for reason in refusal.reasons { statistics.rejectionsByRule[reason.rule, default: 0] += 1 }
        default:
            break
        }
    }

    /// Takes an answered message out of the unacknowledged ones; `nil` when it was not waiting (answered before).
    private func answered(_ id: UUID) -> Header? {
        guard let index = unacknowledged.firstIndex(where: { $0.header.id == id }) else { return nil }
        return unacknowledged.remove(at: index).header
    }

    /// Verifies a delivery, acknowledges it, and acts on it once.
    private func receive(_ delivery: Frame.Delivery) {
        guard let envelope = try? Envelope(wireBytes: delivery.envelope), keys.verify(envelope).isValid else {
            statistics.badSignatures += 1
            return
        }
        let id = envelope.header.id
        // Recorded before the acknowledgement: once the router has the ACK, the delivery counts as acted on.
        let first = statistics.actedOn.insert(id).inserted
        outgoing?.enqueue([.ack(Frame.Acknowledgement(message: id, kind: .delivered))])
        guard first else {
            statistics.duplicatesSuppressed += 1
            return
        }
        statistics.received += 1
        if let deadline = delivery.deadline, delivery.copyRule == nil, envelope.header.messageType == .request {
            receivedDeadlines[id] = deadline
        }
        act(on: envelope.header, asCopy: delivery.copyRule != nil)
    }
}
