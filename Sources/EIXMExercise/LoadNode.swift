import EIXMCrypto
import EIXMModel
import EIXMNodes
import EIXMTransport
import Foundation
import Synchronization

/// One node of a load run on its own connection: it sends its share of the offered rate on a fixed schedule
/// (signing each message), and receives, verifies and acknowledges what is delivered to it, telling the recorder.
struct LoadNode: Sendable {
    let identity: NodeIdentity
    let transport: any ClientTransport
    let keys: KeyDirectory
    let recorder: LoadRecorder
    let start: StartSignal
    /// Where the run's nanosecond times count from.
    let origin: ContinuousClock.Instant
    /// What the node sends, and how often; `nil` for a node that only receives.
    let traffic: TrafficMix?
    let interval: Duration?
    let bodyBytes: Int
    let seed: UInt64

    /// Messages sent and not yet answered by the router, with the time each was meant to go.
    final class Pending: Sendable {
        private let times = Mutex<[UUID: UInt64]>([:])

        func add(_ id: UUID, intended: UInt64) { times.withLock { $0[id] = intended } }

        func remove(_ id: UUID) -> UInt64? { times.withLock { $0.removeValue(forKey: id) } }
    }

    /// Connects, then sends and receives until the task is cancelled.
    func run() async throws {
        try await transport.connect { connection in
            try await connection.outbound.send([.hello(node: identity.nodeID)])
            var frames = connection.inbound.makeAsyncIterator()
            guard case .welcome(let welcome) = try await frames.next() else {
                throw FrameError(.invalidValue, "the router did not answer HELLO with WELCOME")
            }
            // Messages carry the router's simulated time, followed from its WELCOME.
            let clock = ScaledClock(start: welcome.simulatedTime, scale: welcome.timeScale)
            let outbound = connection.outbound
            let pending = Pending()
            let heartbeat = Duration.milliseconds(Int64(max(welcome.heartbeatMilliseconds, 50)))
            // Everything the node sends goes through one queue and one writer. Acknowledgements and heartbeats never
            // wait: the reader never waits for the router to read, so a router that pauses reading from this node
            // cannot deadlock with it. New messages wait while the queue is long: the generator falls behind.
            let outgoing = FrameQueue(backlogLimit: 1_024)
            defer { outgoing.close() }
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await outgoing.drain { try await outbound.send($0) } }
                group.addTask {
                    while true {
                        try await Task.sleep(for: heartbeat)
                        outgoing.enqueue([.heartbeat])
                    }
                }
                group.addTask {
                    let traffic = await start.connected()
                    try await send(during: traffic, clock: clock, pending: pending, outgoing: outgoing)
                }
                var received: Set<UUID> = []
                while let frame = try await frames.next() {
                    switch frame {
                    case .ack(let ack) where ack.kind == .accepted:
                        if let intended = pending.remove(ack.message) { recorder.answered(ack.message, intended: intended, at: now, rejectedBy: nil) }
                    case .nack(let refusal):
                        if let intended = pending.remove(refusal.message) {
                            recorder.answered(refusal.message, intended: intended, at: now, rejectedBy: refusal.reasons.map(\.rule))
                        }
                    case .delivery(let delivery):
                        guard let envelope = try? Envelope(wireBytes: delivery.envelope), keys.verify(envelope).isValid else { continue }
                        let id = envelope.header.id
                        if let intended = Self.intendedTime(in: envelope.body) {
                            recorder.delivered(id, to: identity.nodeID, intended: intended, at: now, duplicate: !received.insert(id).inserted)
                        }
                        outgoing.enqueue([.ack(Frame.Acknowledgement(message: id, kind: .delivered))])
                    default:
                        continue
                    }
                }
                group.cancelAll()
            }
        }
    }

    private var now: UInt64 { Self.nanoseconds(ContinuousClock.now - origin) }

    /// Sends on schedule during the traffic (until it is stopped): every message due goes at once, in one write.
    private func send(during period: Range<ContinuousClock.Instant>, clock: ScaledClock, pending: Pending, outgoing: FrameQueue) async throws {
        guard var traffic, let interval else { return }
        var random = SeededGenerator(seed: seed)
        // IDs from the seed mixed with this run's own ID: a second run of the same seed against the same router
        // must not repeat them.
        var ids = SeededGenerator(seed: seed ^ UInt64.random(in: .min ... .max))
        let end = period.upperBound
        // Each node starts at its own point of its first interval, so that senders do not send in step.
        var due = period.lowerBound + interval * Double.random(in: 0..<1, using: &random)
        while due < end, !start.isStopped {
            let current = ContinuousClock.now
            if due > current {
                try await Task.sleep(until: due, tolerance: .microseconds(100))
                continue
            }
            var batch: [Frame] = []
            while due <= current, due < end, batch.count < 64 {
                let intended = Self.nanoseconds(due - origin)
                due += interval
                guard let header = traffic.next(id: ids.uuid(), at: clock.now) else { continue }
                let envelope: Envelope
                do {
                    envelope = try identity.seal(header, body: Self.body(for: header, intended: intended, bytes: bodyBytes))
                } catch {
                    // The mix makes only sealable headers; should one not be, it is counted, not sent.
                    recorder.unsealable()
                    continue
                }
                pending.add(header.id, intended: intended)
                recorder.sent(header.id, to: header.recipients, intended: intended, at: now)
                batch.append(.message(envelope: envelope.wireBytes()))
            }
            await outgoing.waitForRoom()
            outgoing.enqueue(batch)
        }
    }

    /// The body of a load message: the time it was meant to go (nanoseconds since the origin), then the text of the
    /// traffic mix, padded to `bytes`.
    static func body(for header: Header, intended: UInt64, bytes: Int) -> [UInt8] {
        var body = Array("load t=\(intended) \(TrafficMix.body(for: header))".utf8)
        if body.count < bytes { body += [UInt8](repeating: UInt8(ascii: "."), count: bytes - body.count) }
        return body
    }

    /// The time a load message was meant to go, read back from its body.
    static func intendedTime(in body: [UInt8]) -> UInt64? {
        let prefix = Array("load t=".utf8)
        guard body.starts(with: prefix) else { return nil }
        var value: UInt64 = 0
        for byte in body.dropFirst(prefix.count) {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return byte == UInt8(ascii: " ") ? value : nil }
            let (times, overflow) = value.multipliedReportingOverflow(by: 10)
            let (sum, carry) = times.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
            guard !overflow, !carry else { return nil }
            value = sum
        }
        return nil
    }

    static func nanoseconds(_ duration: Duration) -> UInt64 {
        let (seconds, attoseconds) = duration.components
        return UInt64(max(0, seconds)) * 1_000_000_000 + UInt64(max(0, attoseconds)) / 1_000_000_000
    }
}
