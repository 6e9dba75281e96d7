import EIXMAudit
import EIXMModel
import EIXMRouter
import EIXMSpool
import EIXMTestKit
import EIXMTransport
import Foundation
import Testing

@Suite("The durable accept path", .timeLimit(.minutes(1)))
struct DurableAcceptTests {
    @Test("an answer means stored: no ACK, NACK or delivery leaves before the audit log has stored the decision")
    func answersWaitForStorage() async throws {
        let harness = try RouterHarness()
        let accepted = harness.request(31)
        var rejected = harness.request(32)
        rejected.channel = .bilateralLo
        try await harness.running {
            try await harness.withPeers([.spoc(.fr), .spoc(.be)]) { peers in
                var france = try #require(peers[.spoc(.fr)])
                var belgium = try #require(peers[.spoc(.be)])
                harness.storage.hold()
                try await belgium.send(.message(envelope: try harness.sealed(accepted)))
                try await belgium.send(.message(envelope: try harness.sealed(rejected)))
                // Both were judged (the router answers a heartbeat after them), and nothing has left.
                #expect(try await belgium.sync() == [], "an answer left before the decision was stored")
                #expect(try await france.sync() == [], "a delivery left before the message was stored")
                #expect(harness.audit.events.contains { $0.kind == .accepted && $0.messageID == accepted.id })
                #expect(harness.audit.events.contains { $0.kind == .rejected && $0.messageID == rejected.id })
                // The commit under way is not yet timed; once stored, it is (the answers leave after).
                #expect(await harness.router.snapshot().commitMicroseconds.isEmpty)
                harness.storage.release()
                #expect(
                    try await belgium.nextMeaningful()
                        == .ack(Frame.Acknowledgement(message: accepted.id, kind: .accepted))
                )
                guard case .nack(let refusal) = try await belgium.nextMeaningful() else {
                    Issue.record("no NACK after storing")
                    return
                }
                #expect(refusal.message == rejected.id)
                #expect(await harness.router.snapshot().commitMicroseconds["max"] != nil)
                guard case .delivery(let delivery) = try await france.nextMeaningful() else {
                    Issue.record("no delivery after storing")
                    return
                }
                #expect(try Envelope(wireBytes: delivery.envelope).header.id == accepted.id)
            }
        }
    }

    @Test("a recipient that connects while a message for it is being stored gets it once it is stored, and once")
    func connectWhileStoring() async throws {
        let harness = try RouterHarness()
        let header = harness.request(34)
        try await harness.running {
            try await harness.withPeers([.spoc(.be)]) { peers in
                var belgium = try #require(peers[.spoc(.be)])
                harness.storage.hold()
                try await belgium.send(.message(envelope: try harness.sealed(header)))
                #expect(try await belgium.sync() == [], "an answer left before the decision was stored")
                // France connects now: the delivery waits in its outbox, not yet stored.
                try await harness.network.client(as: .spoc(.fr)).connect { connection in
                    var france = try await TestPeer.open(connection, as: .spoc(.fr))
                    #expect(try await france.sync() == [], "a delivery left before the message was stored")
                    harness.storage.release()
                    guard case .delivery(let delivery) = try await france.nextMeaningful() else {
                        Issue.record("no delivery after storing")
                        return
                    }
                    #expect(try Envelope(wireBytes: delivery.envelope).header.id == header.id)
                    #expect(try await france.sync() == [], "delivered more than once")
                }
            }
        }
    }

    @Test(
        "when storing fails nothing is promised: no answer, no delivery, the failure audited; a resend once storage works is accepted and delivered once"
    )
    func storageFailure() async throws {
        let harness = try RouterHarness()
        let header = harness.request(33)
        let bytes = try harness.sealed(header)
        try await harness.running {
            try await harness.withPeers([.spoc(.fr), .spoc(.be)]) { peers in
                var france = try #require(peers[.spoc(.fr)])
                var belgium = try #require(peers[.spoc(.be)])
                harness.storage.fail("no space left on device")
                try await belgium.send(.message(envelope: bytes))
                _ = try await belgium.sync()
                await harness.router.flushed()
                #expect(try await belgium.sync() == [], "an answer was sent for what could not be stored")
                #expect(try await france.sync() == [], "a delivery was sent for what could not be stored")
                #expect(await harness.router.snapshot().storageFailures == 1)
                #expect(
                    harness.audit.events.contains {
                        $0.kind == .storageFailed && $0.reasons.first == "no space left on device"
                            && $0.reasons.last?.hasPrefix("storage failure 1 of") == true
                    }
                )
                harness.storage.heal()
                try await belgium.send(.message(envelope: bytes))
                #expect(
                    try await belgium.nextMeaningful()
                        == .ack(Frame.Acknowledgement(message: header.id, kind: .accepted))
                )
                let deliveries = try await france.sync().filter { if case .delivery = $0 { true } else { false } }
                #expect(deliveries.count == 1)
            }
        }
    }

    @Test(
        "restarted on its spool, the router delivers what it accepted and was not acknowledged, answers a resend ACCEPTED without a second delivery, and still knows the requests' deadlines"
    )
    func restart() async throws {
        try await TemporaryDirectory.with { folder in
            let first = try RouterHarness(spoolDirectory: folder)
            let toFrance = first.request(51)
            let toGermany = first.request(52, to: .spoc(.de))
            let acknowledged = first.request(53)
            try await first.running {
                try await first.withPeers([.spoc(.fr), .spoc(.be)]) { peers in
                    var france = try #require(peers[.spoc(.fr)])
                    var belgium = try #require(peers[.spoc(.be)])
                    for request in [toFrance, toGermany, acknowledged] {
                        #expect(try await first.verdict(on: request, from: &belgium) == .accepted)
                    }
                    // France receives its two, and acknowledges one only; Germany is offline.
                    let received = try await france.sync()
                    let delivery = try #require(
                        received.lazy.compactMap { frame -> Frame.Delivery? in
                            guard case .delivery(let delivery) = frame,
                                (try? Envelope(wireBytes: delivery.envelope).header.id) == acknowledged.id
                            else { return nil }
                            return delivery
                        }.first
                    )
                    try await france.send(try first.receipt(delivery, by: .spoc(.fr)))
                    _ = try await france.sync()
                }
            }
            try await Self.stored(try #require(first.spool))
            // The first router is gone without any shutdown work; a second one opens the same folder.
            let second = try await first.restarted(spoolDirectory: folder)
            let restored = try #require(second.audit.events.first { $0.kind == .restored })
            #expect(
                restored.reasons.first?.hasPrefix(
                    "3 accepted message(s) restored, 2 delivery(ies) waiting, 3 open deadline(s)"
                ) == true,
                "\(restored.reasons)"
            )
            var received: [NodeID: [UUID]] = [:]
            try await second.running {
                try await second.withPeers([.spoc(.de), .spoc(.fr), .spoc(.be)]) { peers in
                    var belgium = try #require(peers[.spoc(.be)])
                    var france = try #require(peers[.spoc(.fr)])
                    func collect(_ node: NodeID, _ peer: inout TestPeer) async throws {
                        for frame in try await peer.sync() {
                            if case .delivery(let delivery) = frame {
                                received[node, default: []].append(try Envelope(wireBytes: delivery.envelope).header.id)
                            }
                        }
                    }
                    try await belgium.send(.message(envelope: try first.sealed(toFrance)))
                    #expect(
                        try await belgium.nextMeaningful()
                            == .ack(Frame.Acknowledgement(message: toFrance.id, kind: .accepted))
                    )
                    try await collect(.spoc(.fr), &france)
                    // France answers the request it got before the restart, in time: the deadline is known.
                    second.clock.advance(seconds: 3600)
                    #expect(
                        try await second.verdict(on: second.answer(toFrance, type: .reply, id: 54), from: &france)
                            == .accepted
                    )
                    try await collect(.spoc(.fr), &france)
                    var germany = try #require(peers[.spoc(.de)])
                    try await collect(.spoc(.de), &germany)
                }
            }
            #expect(received[.spoc(.de)] == [toGermany.id])
            #expect(
                received[.spoc(.fr)] == [toFrance.id],
                "France gets the unacknowledged delivery once, and not the acknowledged one"
            )
            let statistics = await second.router.snapshot()
            #expect(statistics.deadlinesMet == ["DL-01": 1])
            #expect(statistics.deadlinesOpen == ["DL-01": 2])
        }
    }

    @Test("a run with a restart in the middle judges every message and deadline as the same run without one")
    func sameDecisionsAcrossARestart() async throws {
        let withoutRestart = try await TemporaryDirectory.with { try await Self.play(restart: false, folder: $0) }
        let withRestart = try await TemporaryDirectory.with { try await Self.play(restart: true, folder: $0) }
        #expect(withoutRestart.count >= 10)
        #expect(withoutRestart.contains { $0.hasPrefix("deadline_breached \(SampleMessages.id(60))") })
        #expect(withRestart == withoutRestart)
    }

    /// Waits until everything appended to `spool` so far is on disk.
    static func stored(_ spool: Spool) async throws {
        let outcome = await withCheckedContinuation { continuation in
            spool.whenStored { continuation.resume(returning: $0) }
        }
        #expect(outcome == .stored)
    }

    /// A request left to breach, then requests, a reply, a clarification request and its clarification, a late reply
    /// and another breach, with the router restarted on its spool after the requests when `restart`; returns the
    /// decisions and deadline outcomes.
    static func play(restart: Bool, folder: URL) async throws -> [String] {
        var harness = try RouterHarness(spoolDirectory: folder)
        let unanswered = harness.request(60)
        // Built for the time they are sent, nine hours on.
        let requests = [61, 62, 63].map { index in
            var request = harness.request(UInt8(index), to: index == 62 ? .spoc(.de) : .spoc(.fr))
            request.createdAt = request.createdAt.adding(seconds: 9 * 3600)
            return request
        }
        let nodes: [NodeID] = [.spoc(.be), .spoc(.fr), .spoc(.de)]
        var outcomes: [String] = []
        func record(_ harness: RouterHarness) {
            for event in harness.audit.events
            where [.accepted, .rejected, .deadlineMet, .deadlineBreached].contains(event.kind) {
                outcomes.append(
                    "\(event.kind.rawValue) \(event.messageID.map { "\($0)" } ?? "-") \(event.rules.joined(separator: ","))"
                )
            }
        }
        func first(_ peers: [NodeID: TestPeer]) async throws {
            var belgium = try #require(peers[.spoc(.be)])
            _ = try await harness.frame(for: unanswered, from: &belgium)
            harness.clock.advance(seconds: 9 * 3600)
            await harness.router.sweepDeadlines()
            for request in requests { _ = try await harness.frame(for: request, from: &belgium) }
        }
        func second(_ harness: RouterHarness, _ peers: [NodeID: TestPeer]) async throws {
            var belgium = try #require(peers[.spoc(.be)])
            var france = try #require(peers[.spoc(.fr)])
            var germany = try #require(peers[.spoc(.de)])
            harness.clock.advance(seconds: 3600)
            _ = try await harness.frame(for: harness.answer(requests[0], type: .reply, id: 64), from: &france)
            let question = harness.answer(requests[2], type: .clarificationRequest, id: 65)
            _ = try await harness.frame(for: question, from: &france)
            harness.clock.advance(seconds: 8 * 3600)
            await harness.router.sweepDeadlines()
            _ = try await harness.frame(for: harness.answer(question, type: .clarification, id: 66), from: &belgium)
            _ = try await harness.frame(for: harness.answer(requests[1], type: .reply, id: 67), from: &germany)
            harness.clock.advance(seconds: 9 * 3600)
            await harness.router.sweepDeadlines()
        }
        if restart {
            try await harness.running { try await harness.withPeers(nodes) { try await first($0) } }
            record(harness)
            try await Self.stored(try #require(harness.spool))
            harness = try await harness.restarted(spoolDirectory: folder)
            let restarted = harness
            try await harness.running { try await restarted.withPeers(nodes) { try await second(restarted, $0) } }
        } else {
            let only = harness
            try await harness.running {
                try await only.withPeers(nodes) { peers in
                    try await first(peers)
                    try await second(only, peers)
                }
            }
        }
        record(harness)
        return outcomes
    }

    @Test(
        "the deliveries released by one commit go to each recipient as one write, and the router counts the writes so"
    )
    func deliveryWritesPerCommit() async throws {
        let harness = try RouterHarness()
        let first = harness.request(41)
        let toFrance = [harness.request(42), harness.request(43)]
        let toGermany = harness.request(44, to: .spoc(.de))
        try await harness.running {
            try await harness.withPeers([.spoc(.fr), .spoc(.de), .spoc(.be)]) { peers in
                var france = try #require(peers[.spoc(.fr)])
                var germany = try #require(peers[.spoc(.de)])
                var belgium = try #require(peers[.spoc(.be)])
                harness.storage.hold()
                // The first message's commit is under way (held); the next three, judged meanwhile, go into the
                // commit after it: France's two deliveries in one write, Germany's one in another.
                try await belgium.send(.message(envelope: try harness.sealed(first)))
                #expect(try await belgium.sync() == [])
                for header in toFrance + [toGermany] {
                    try await belgium.send(.message(envelope: try harness.sealed(header)))
                }
                #expect(try await belgium.sync() == [])
                harness.storage.release()
                var toFranceDelivered: [UUID] = []
                for _ in 0..<3 {
                    let delivery = try await DeliveryReceiptTests.delivery(to: &france)
                    toFranceDelivered.append(try Envelope(wireBytes: delivery.envelope).header.id)
                }
                let toGermanyDelivered = try await DeliveryReceiptTests.delivery(to: &germany)
                #expect(toFranceDelivered == [first.id] + toFrance.map(\.id))
                #expect(try Envelope(wireBytes: toGermanyDelivered.envelope).header.id == toGermany.id)
                #expect(try await belgium.sync().count == 4, "four answers")
                #expect(await harness.router.snapshot().deliveryWrites == 3, "France twice (two commits), Germany once")
            }
        }
    }
}
