import Crypto
import EIXMAudit
import EIXMCrypto
import EIXMModel
import EIXMRouter
import EIXMRules
import EIXMTestKit
import EIXMTransport
import Foundation
import Testing

@Suite("The router", .timeLimit(.minutes(1)))
struct RouterTests {
    @Test("an accepted message is ACKed to the sender, delivered to the addressee once, and acknowledged")
    func routeAndDeliver() async throws {
        let harness = try RouterHarness()
        try await harness.running {
            try await harness.network.client(as: .spoc(.fr)).connect { franceConnection in
                var france = try await TestPeer.open(franceConnection, as: .spoc(.fr))
                try await harness.network.client(as: .spoc(.be)).connect { belgiumConnection in
                    var belgium = try await TestPeer.open(belgiumConnection, as: .spoc(.be))
                    let header = harness.request(1)
                    try await belgium.send(.message(envelope: try harness.sealed(header)))
                    #expect(
                        try await belgium.nextMeaningful()
                            == .ack(Frame.Acknowledgement(message: header.id, kind: .accepted))
                    )
                    guard case .delivery(let delivery) = try await france.nextMeaningful() else {
                        Issue.record("no delivery")
                        return
                    }
                    #expect(try Envelope(wireBytes: delivery.envelope).header == header)
                    #expect(delivery.deadline != nil)
                    try await france.send(try harness.receipt(delivery, by: .spoc(.fr)))
                    _ = try await france.sync()
                }
            }
        }
        let kinds = harness.audit.events.map(\.kind)
        #expect(kinds.contains(.accepted))
        // The arrival, recorded once in the decision, carries the digests of what was sent, computed here from the
        // sealed envelope; the delivery does not repeat them.
        let sent = try Envelope(wireBytes: try harness.sealed(harness.request(1)))
        #expect(!kinds.contains(.received))
        let received = try #require(harness.audit.events.first { $0.kind == .accepted })
        #expect(harness.audit.events.filter { $0.headerDigest != nil && $0.kind != .acknowledged }.count == 1)
        #expect(
            received.headerDigest == SHA256.hash(data: sent.canonicalHeader).map { String(format: "%02x", $0) }.joined()
        )
        #expect(received.bodyDigest == SHA256.hash(data: sent.body).map { String(format: "%02x", $0) }.joined())
        #expect(kinds.filter { $0 == .delivered }.count == 1)
        #expect(kinds.contains(.acknowledged))
        let statistics = await harness.router.snapshot()
        #expect(statistics.accepted == 1)
        #expect(statistics.acknowledged == 1)
        #expect(statistics.queueDepths.isEmpty)
    }

    @Test(
        "a message the rules reject is NACKed with the rule IDs and reasons, audited as rejected with them, and nothing else: no ACK, no delivery, no queueing"
    )
    func ruleRejection() async throws {
        let harness = try RouterHarness()
        var header = harness.request(2)
        header.channel = .bilateralLo
        var refusal: Frame.Refusal?
        try await harness.running {
            try await harness.network.client(as: .spoc(.fr)).connect { franceConnection in
                var france = try await TestPeer.open(franceConnection, as: .spoc(.fr))
                try await harness.network.client(as: .spoc(.be)).connect { connection in
                    var belgium = try await TestPeer.open(connection, as: .spoc(.be))
                    try await belgium.send(.message(envelope: try harness.sealed(header)))
                    guard case .nack(let nack) = try await belgium.nextMeaningful() else {
                        Issue.record("no NACK")
                        return
                    }
                    refusal = nack
                    // The router answers a heartbeat in order: whatever it sent after the NACK arrives before it.
                    #expect(try await belgium.sync() == [], "the sender got more than its NACK")
                }
                #expect(try await france.sync() == [], "the addressee of a rejected message got something")
            }
        }
        let nack = try #require(refusal)
        #expect(nack.message == header.id)
        #expect(nack.reasons.map(\.rule) == ["CH-01"])
        #expect(nack.reasons.allSatisfy { !$0.text.isEmpty })
        let events = harness.audit.events.filter { $0.messageID == header.id }
        #expect(events.map(\.kind) == [.rejected, .nacked])
        let rejected = try #require(events.first { $0.kind == .rejected })
        #expect(rejected.headerDigest != nil && rejected.bodyDigest != nil, "the rejection records the arrival")
        #expect(events.last?.headerDigest == nil, "the NACK does not repeat the digests")
        #expect(rejected.rules == ["CH-01"])
        #expect(rejected.reasons == nack.reasons.map(\.text))
        #expect(rejected.sender == .spoc(.be))
        let statistics = await harness.router.snapshot()
        #expect(statistics.rejectionsByRule == ["CH-01": 1])
        #expect(statistics.accepted == 0)
        #expect(statistics.delivered == 0)
        #expect(statistics.queueDepths.isEmpty)
    }

    @Test(
        "a message to two addressees that the rules copy to Europol reaches all three, once each, and is audited once per recipient"
    )
    func twoAddresseesAndACopy() async throws {
        let harness = try RouterHarness()
        var header = harness.request(12)
        header.to = [.spoc(.fr), .spoc(.de)]
        header.affectedStates = [.be, .fr, .de]
        header.copyToEuropol = true
        header.copyToEuropolReason = nil
        var received: [NodeID: [Frame.Delivery]] = [:]
        let nodes: [NodeID] = [.spoc(.fr), .spoc(.de), .europol]
        try await harness.running {
            // The three recipients are connected before the message is sent and stay open until every delivery is counted.
            try await harness.withPeers(nodes) { recipients in
                try await harness.network.client(as: .spoc(.be)).connect { connection in
                    var belgium = try await TestPeer.open(connection, as: .spoc(.be))
                    #expect(try await harness.verdict(on: header, from: &belgium) == .accepted)
                }
                for node in nodes {
                    var peer = try #require(recipients[node])
                    for frame in try await peer.sync() {
                        if case .delivery(let delivery) = frame { received[node, default: []].append(delivery) }
                    }
                }
            }
        }
        for node in nodes {
            let deliveries = received[node] ?? []
            #expect(try deliveries.map { try Envelope(wireBytes: $0.envelope).header.id } == [header.id], "\(node)")
        }
        #expect(received[.spoc(.fr)]?.first?.copyRule == nil)
        #expect(received[.spoc(.de)]?.first?.copyRule == nil)
        #expect(received[.europol]?.first?.copyRule == "EU-02")
        let delivered = harness.audit.events.filter { $0.messageID == header.id && $0.kind == .delivered }
        #expect(
            delivered.compactMap(\.node).sorted { $0.rawValue < $1.rawValue } == [.europol, .spoc(.de), .spoc(.fr)]
        )
        #expect(delivered.first { $0.node == .europol }?.rules == ["EU-02"])
    }

    @Test("a node whose certificate says A sending as B is refused and audited")
    func impersonation() async throws {
        let harness = try RouterHarness()
        try await harness.running {
            try await harness.network.client(as: .spoc(.be)).connect { connection in
                var belgium = try await TestPeer.open(connection, as: .spoc(.be))
                let forged = harness.request(3, from: .spoc(.fr), to: .spoc(.de))
                try await belgium.send(.message(envelope: try harness.sealed(forged)))
                guard case .nack(let refusal) = try await belgium.nextMeaningful() else {
                    Issue.record("no NACK")
                    return
                }
                #expect(refusal.reasons.map(\.rule) == [RouterCheck.authentication.rawValue])
            }
        }
        let event = try #require(harness.audit.events.first { $0.kind == .rejected })
        #expect(event.claimed == .spoc(.fr))
        #expect(event.certified == .spoc(.be))
    }

    @Test("a HELLO that does not match the certified identity is refused and audited")
    func helloMismatch() async throws {
        let harness = try RouterHarness()
        try await harness.running {
            try await harness.network.client(as: .spoc(.be)).connect { connection in
                try await connection.outbound.send([.hello(node: .spoc(.fr))])
                var frames = connection.inbound.makeAsyncIterator()
                guard case .goodbye = try await frames.next() else {
                    Issue.record("no GOODBYE")
                    return
                }
                #expect(try await frames.next() == nil)
            }
        }
        let event = try #require(harness.audit.events.first { $0.kind == .connectionRefused })
        #expect(event.claimed == .spoc(.fr))
        #expect(event.certified == .spoc(.be))
    }

    @Test("a revoked node's connection is refused")
    func revoked() async throws {
        let harness = try RouterHarness(configuration: RouterConfiguration(revoked: [.spoc(.de)]))
        try await harness.running {
            try await harness.network.client(as: .spoc(.de)).connect { connection in
                try await connection.outbound.send([.hello(node: .spoc(.de))])
                var frames = connection.inbound.makeAsyncIterator()
                #expect(try await frames.next() == .goodbye(reason: "certificate revoked"))
            }
        }
        #expect(
            harness.audit.events.contains {
                $0.kind == .connectionRefused && $0.rules == [RouterCheck.revoked.rawValue]
            }
        )
    }

    @Test(
        "a resent accepted message gets its ACCEPTED answer again and is not delivered twice; a resent rejected one gets its refusal again; another message reusing a known ID is refused as a duplicate; a message far outside the time window is refused"
    )
    func resendAndReplay() async throws {
        let harness = try RouterHarness()
        var deliveries: [Frame] = []
        try await harness.running {
            try await harness.withPeers([.spoc(.fr)]) { recipients in
                try await harness.network.client(as: .spoc(.be)).connect { connection in
                    var belgium = try await TestPeer.open(connection, as: .spoc(.be))
                    let bytes = try harness.sealed(harness.request(4))
                    for _ in 0..<2 {
                        try await belgium.send(.message(envelope: bytes))
                        #expect(
                            try await belgium.nextMeaningful()
                                == .ack(Frame.Acknowledgement(message: SampleMessages.id(4), kind: .accepted))
                        )
                    }
                    var rejected = harness.request(14)
                    rejected.channel = .bilateralLo
                    let rejectedBytes = try harness.sealed(rejected)
                    try await belgium.send(.message(envelope: rejectedBytes))
                    guard case .nack(let first) = try await belgium.nextMeaningful() else {
                        Issue.record("not refused")
                        return
                    }
                    #expect(first.reasons.map(\.rule) == ["CH-01"])
                    try await belgium.send(.message(envelope: rejectedBytes))
                    guard case .nack(let duplicate) = try await belgium.nextMeaningful() else {
                        Issue.record("resent rejected message not refused")
                        return
                    }
                    #expect(duplicate == first)
                    // Another message (another header) under an ID the router knows: not a resend.
                    var reused = harness.request(4)
                    reused.caseID = "ANOTHER-CASE"
                    try await belgium.send(.message(envelope: try harness.sealed(reused)))
                    guard case .nack(let impostor) = try await belgium.nextMeaningful() else {
                        Issue.record("another message under a known ID was not refused")
                        return
                    }
                    #expect(impostor.reasons.map(\.rule) == [RouterCheck.duplicate.rawValue])
                    var old = harness.request(5)
                    old.createdAt = old.createdAt.adding(seconds: -3 * 86_400)
                    try await belgium.send(.message(envelope: try harness.sealed(old)))
                    guard case .nack(let stale) = try await belgium.nextMeaningful() else {
                        Issue.record("stale message not refused")
                        return
                    }
                    #expect(stale.reasons.map(\.rule) == [RouterCheck.replay.rawValue])
                }
                var france = try #require(recipients[.spoc(.fr)])
                deliveries = try await france.sync()
            }
        }
        #expect(deliveries.count == 1, "\(deliveries.count) deliveries of one message")
        #expect(
            harness.audit.events.filter { $0.kind == .duplicate }.map(\.messageID) == [
                SampleMessages.id(4), SampleMessages.id(14),
            ]
        )
        #expect(harness.audit.events.filter { $0.kind == .accepted }.count == 1)
    }

    @Test("a tampered envelope fails its signature, and garbage in a MESSAGE is refused as malformed")
    func signatureAndMalformed() async throws {
        let harness = try RouterHarness()
        try await harness.running {
            try await harness.network.client(as: .spoc(.be)).connect { connection in
                var belgium = try await TestPeer.open(connection, as: .spoc(.be))
                var bytes = try harness.sealed(harness.request(6))
                bytes[bytes.count - 70] ^= 0x01
                try await belgium.send(.message(envelope: bytes))
                guard case .nack(let bad) = try await belgium.nextMeaningful() else {
                    Issue.record("tampered envelope not refused")
                    return
                }
                #expect(bad.reasons.map(\.rule) == [RouterCheck.signature.rawValue])
                try await belgium.send(.message(envelope: [1, 2, 3]))
                guard case .nack(let garbage) = try await belgium.nextMeaningful() else {
                    Issue.record("garbage not refused")
                    return
                }
                #expect(garbage.reasons.map(\.rule) == [RouterCheck.malformed.rawValue])
            }
        }
    }

    @Test("messages for an offline recipient wait, and arrive in order when it connects")
    func offlineRecipient() async throws {
        let harness = try RouterHarness()
        let first = harness.request(7)
        let second = harness.request(8)
        try await harness.running {
            try await harness.network.client(as: .spoc(.be)).connect { connection in
                var belgium = try await TestPeer.open(connection, as: .spoc(.be))
                for header in [first, second] {
                    try await belgium.send(.message(envelope: try harness.sealed(header)))
                    guard case .ack = try await belgium.nextMeaningful() else {
                        Issue.record("not accepted")
                        return
                    }
                }
            }
            #expect(await harness.router.snapshot().queueDepths[.spoc(.fr)] == 2)
            try await harness.network.client(as: .spoc(.fr)).connect { connection in
                var france = try await TestPeer.open(connection, as: .spoc(.fr))
                var received: [UUID] = []
                for _ in 0..<2 {
                    guard case .delivery(let delivery) = try await france.nextMeaningful() else { break }
                    received.append(try Envelope(wireBytes: delivery.envelope).header.id)
                }
                #expect(received == [first.id, second.id])
            }
        }
        #expect(harness.audit.events.filter { $0.kind == .queued }.count == 2)
    }

    @Test(
        "a delivery the recipient did not acknowledge before its connection dropped is delivered again when it reconnects, and then no more"
    )
    func redeliveryAfterDrop() async throws {
        let harness = try RouterHarness()
        let header = harness.request(13)
        try await harness.running {
            try await harness.network.client(as: .spoc(.fr)).connect { connection in
                var france = try await TestPeer.open(connection, as: .spoc(.fr))
                try await harness.network.client(as: .spoc(.be)).connect { connection in
                    var belgium = try await TestPeer.open(connection, as: .spoc(.be))
                    #expect(try await harness.verdict(on: header, from: &belgium) == .accepted)
                }
                guard case .delivery = try await france.nextMeaningful() else {
                    Issue.record("no first delivery")
                    return
                }
                // The connection closes without an ACK.
            }
            try await harness.network.client(as: .spoc(.fr)).connect { connection in
                var france = try await TestPeer.open(connection, as: .spoc(.fr))
                guard case .delivery(let again) = try await france.nextMeaningful() else {
                    Issue.record("not delivered again")
                    return
                }
                #expect(try Envelope(wireBytes: again.envelope).header.id == header.id)
                try await france.send(try harness.receipt(again, by: .spoc(.fr)))
                #expect(try await france.sync() == [])
            }
            try await harness.network.client(as: .spoc(.fr)).connect { connection in
                var france = try await TestPeer.open(connection, as: .spoc(.fr))
                #expect(try await france.sync() == [], "an acknowledged delivery was sent again")
            }
        }
        #expect(
            harness.audit.events.filter { $0.kind == .acknowledged && $0.messageID == header.id }.map(\.node) == [
                .spoc(.fr)
            ]
        )
        #expect(await harness.router.snapshot().queueDepths.isEmpty)
    }

    @Test(
        "a node that reconnects while its old connection is still open gets what it had not acknowledged on the new one; the old one is sent nothing more"
    )
    func reconnectWhileOldOpen() async throws {
        let harness = try RouterHarness()
        let first = harness.request(14)
        let second = harness.request(15)
        try await harness.running {
            try await harness.network.client(as: .spoc(.be)).connect { connection in
                var belgium = try await TestPeer.open(connection, as: .spoc(.be))
                try await harness.network.client(as: .spoc(.fr)).connect { old in
                    var oldFrance = try await TestPeer.open(old, as: .spoc(.fr))
                    #expect(try await harness.verdict(on: first, from: &belgium) == .accepted)
                    guard case .delivery = try await oldFrance.nextMeaningful() else {
                        Issue.record("no first delivery")
                        return
                    }
                    // France connects again without closing the old connection (a half-open link it gave up on).
                    try await harness.network.client(as: .spoc(.fr)).connect { new in
                        var newFrance = try await TestPeer.open(new, as: .spoc(.fr))
                        guard case .delivery(let again) = try await newFrance.nextMeaningful() else {
                            Issue.record("not delivered again on the new connection")
                            return
                        }
                        #expect(try Envelope(wireBytes: again.envelope).header.id == first.id)
                        try await newFrance.send(try harness.receipt(again, by: .spoc(.fr)))
                        #expect(try await harness.verdict(on: second, from: &belgium) == .accepted)
                        guard case .delivery(let next) = try await newFrance.nextMeaningful() else {
                            Issue.record("the second message did not reach the new connection")
                            return
                        }
                        #expect(try Envelope(wireBytes: next.envelope).header.id == second.id)
                        try await newFrance.send(try harness.receipt(next, by: .spoc(.fr)))
                        #expect(try await newFrance.sync() == [])
                    }
                    // The router closed the old connection's writer when the new one came: it ends, with nothing more.
                    var late: [Frame] = []
                    while let frame = try? await oldFrance.nextMeaningful() { late.append(frame) }
                    #expect(
                        late.allSatisfy { if case .delivery = $0 { false } else { true } },
                        "the replaced connection was sent a delivery: \(late)"
                    )
                }
            }
        }
        let acknowledged = harness.audit.events.filter { $0.kind == .acknowledged }.map(\.messageID)
        #expect(acknowledged == [first.id, second.id])
        #expect(await harness.router.snapshot().queueDepths.isEmpty)
    }

    @Test(
        "a resend after the duplicate window has forgotten its ID is judged again: ACCEPTED as the first time, and delivered again for the recipient to suppress by ID"
    )
    func resendAfterWindowForgot() async throws {
        let harness = try RouterHarness(configuration: RouterConfiguration(rememberedMessages: 2))
        let headers = (21...23).map { harness.request(UInt8($0)) }
        try await harness.running {
            try await harness.withPeers([.spoc(.be), .spoc(.fr)]) { peers in
                var belgium = peers[.spoc(.be)]!
                var france = peers[.spoc(.fr)]!
                for header in headers { #expect(try await harness.verdict(on: header, from: &belgium) == .accepted) }
                var delivered: [UUID] = []
                while delivered.count < 3, case .delivery(let delivery) = try await france.nextMeaningful() {
                    delivered.append(try Envelope(wireBytes: delivery.envelope).header.id)
                }
                #expect(delivered == headers.map(\.id))
                // The window holds two IDs: the first one is forgotten, so its resend is a new message to the router.
                #expect(try await harness.verdict(on: headers[0], from: &belgium) == .accepted)
                guard case .delivery(let again) = try await france.nextMeaningful() else {
                    Issue.record("the resend was not delivered")
                    return
                }
                #expect(try Envelope(wireBytes: again.envelope).header.id == headers[0].id)
                // The newest ID is still remembered: its resend is answered ACCEPTED and not delivered again.
                #expect(try await harness.verdict(on: headers[2], from: &belgium) == .accepted)
                #expect(try await france.sync() == [])
            }
        }
        #expect(harness.audit.events.filter { $0.kind == .duplicate }.map(\.messageID) == [headers[2].id])
    }

    @Test("a full queue NACKs the sender")
    func queueFull() async throws {
        let harness = try RouterHarness(configuration: RouterConfiguration(queueLimit: 1))
        try await harness.running {
            try await harness.network.client(as: .spoc(.be)).connect { connection in
                var belgium = try await TestPeer.open(connection, as: .spoc(.be))
                try await belgium.send(.message(envelope: try harness.sealed(harness.request(9))))
                guard case .ack = try await belgium.nextMeaningful() else {
                    Issue.record("first not accepted")
                    return
                }
                try await belgium.send(.message(envelope: try harness.sealed(harness.request(10))))
                guard case .nack(let full) = try await belgium.nextMeaningful() else {
                    Issue.record("second not refused")
                    return
                }
                #expect(full.reasons.map(\.rule) == [RouterCheck.queueFull.rawValue])
            }
        }
    }

    @Test("the Europol copy the rules require is delivered to Europol, marked with its rule")
    func europolCopy() async throws {
        let harness = try RouterHarness()
        try await harness.running {
            try await harness.network.client(as: .europol).connect { europolConnection in
                var europol = try await TestPeer.open(europolConnection, as: .europol)
                try await harness.network.client(as: .spoc(.be)).connect { connection in
                    var belgium = try await TestPeer.open(connection, as: .spoc(.be))
                    var header = harness.request(11)
                    header.copyToEuropol = true
                    header.copyToEuropolReason = nil
                    try await belgium.send(.message(envelope: try harness.sealed(header)))
                    guard case .ack = try await belgium.nextMeaningful() else {
                        Issue.record("not accepted")
                        return
                    }
                }
                guard case .delivery(let copy) = try await europol.nextMeaningful() else {
                    Issue.record("no copy for Europol")
                    return
                }
                #expect(copy.copyRule == "EU-02")
            }
        }
    }

    @Test(
        "deadlines: an answer in time is met, an unanswered request is breached once its time passes, and a clarification request (DL-06) stops the clock until the clarification"
    )
    func deadlines() async throws {
        let harness = try RouterHarness()
        let router = harness.router
        let breached = { harness.audit.events.filter { $0.kind == .deadlineBreached }.map(\.messageID) }
        try await harness.running {
            try await harness.network.client(as: .spoc(.fr)).connect { franceConnection in
                var france = try await TestPeer.open(franceConnection, as: .spoc(.fr))
                try await harness.network.client(as: .spoc(.be)).connect { belgiumConnection in
                    var belgium = try await TestPeer.open(belgiumConnection, as: .spoc(.be))
                    // Three urgent requests for directly available information: DL-01, eight hours.
                    let requests = (21...23).map { harness.request(UInt8($0)) }
                    for request in requests {
                        #expect(try await harness.verdict(on: request, from: &belgium) == .accepted)
                    }
                    harness.clock.advance(seconds: 3600)
                    let reply = harness.answer(requests[0], type: .reply, id: 24)
                    #expect(try await harness.verdict(on: reply, from: &france) == .accepted)
                    // The audit pairs the answer with its request: an auditor can count answers per request.
                    let replyRecords = harness.audit.events.filter { $0.kind == .accepted && $0.messageID == reply.id }
                    #expect(replyRecords.map(\.inReplyTo) == [requests[0].id])
                    #expect(
                        harness.audit.events.filter { $0.kind == .accepted && $0.messageID == requests[0].id }.map(
                            \.inReplyTo
                        ) == [nil]
                    )
                    harness.clock.advance(seconds: 3600)
                    let question = harness.answer(requests[2], type: .clarificationRequest, id: 25)
                    #expect(try await harness.verdict(on: question, from: &france) == .accepted)
                    var statistics = await router.snapshot()
                    #expect(statistics.deadlinesMet == ["DL-01": 1])
                    #expect(statistics.deadlinesOpen == ["DL-01": 2])
                    // Nine hours after the requests: the second is late; the third is paused since the second hour.
                    harness.clock.advance(seconds: 7 * 3600)
                    await router.sweepDeadlines()
                    #expect(await router.snapshot().deadlinesBreached == ["DL-01": 1])
                    #expect(breached() == [SampleMessages.id(22)])
                    // The clarification comes at the tenth hour: eight paused hours move the deadline to the sixteenth.
                    harness.clock.advance(seconds: 3600)
                    let clarification = harness.answer(question, type: .clarification, id: 26)
                    #expect(try await harness.verdict(on: clarification, from: &belgium) == .accepted)
                    harness.clock.advance(seconds: 5 * 3600)
                    await router.sweepDeadlines()
                    #expect(await router.snapshot().deadlinesBreached == ["DL-01": 1])
                    harness.clock.advance(seconds: 2 * 3600)
                    await router.sweepDeadlines()
                    statistics = await router.snapshot()
                    #expect(statistics.deadlinesBreached == ["DL-01": 2])
                    #expect(statistics.deadlinesOpen.isEmpty)
                    #expect(breached() == [SampleMessages.id(22), SampleMessages.id(23)])
                }
            }
        }
    }

    @Test(
        "a reply from a node that was not asked neither meets nor breaks the request's deadline; the requested side's reply then meets it (DL-07)"
    )
    func answerFromTheRightSide() async throws {
        let harness = try RouterHarness()
        let request = harness.request(40)
        try await harness.running {
            try await harness.withPeers([.spoc(.be), .spoc(.fr), .spoc(.de)]) { peers in
                var belgium = try #require(peers[.spoc(.be)])
                var france = try #require(peers[.spoc(.fr)])
                var germany = try #require(peers[.spoc(.de)])
                #expect(try await harness.verdict(on: request, from: &belgium) == .accepted)
                harness.clock.advance(seconds: 3600)
                var unasked = harness.answer(request, type: .reply, id: 41)
                unasked.sender = .spoc(.de)
                #expect(try await harness.verdict(on: unasked, from: &germany) == .accepted)
                var statistics = await harness.router.snapshot()
                #expect(statistics.deadlinesMet.isEmpty)
                #expect(statistics.deadlinesOpen == ["DL-01": 1])
                let reply = harness.answer(request, type: .reply, id: 42)
                #expect(try await harness.verdict(on: reply, from: &france) == .accepted)
                statistics = await harness.router.snapshot()
                #expect(statistics.deadlinesMet == ["DL-01": 1])
                #expect(statistics.deadlinesOpen.isEmpty)
            }
        }
        let outcomes = harness.audit.events.filter { $0.kind == .deadlineMet }
        #expect(outcomes.map(\.node) == [.spoc(.fr)])
    }

    @Test(
        "in SFD_LEGACY mode a delay notice within the 8 hours postpones an urgent request's deadline to 3 days: nothing is breached at the ninth hour, and the reply on the second day meets it (DL-09)"
    )
    func legacyPostponement() async throws {
        var rules = RulesConfiguration.builtIn()
        rules.mode = .sfdLegacy
        let harness = try RouterHarness(rules: rules)
        let request = harness.request(50)
        try await harness.running {
            try await harness.withPeers([.spoc(.be), .spoc(.fr)]) { peers in
                var belgium = try #require(peers[.spoc(.be)])
                var france = try #require(peers[.spoc(.fr)])
                #expect(try await harness.verdict(on: request, from: &belgium) == .accepted)
                #expect(await harness.router.snapshot().deadlinesOpen == ["DL-09": 1])
                harness.clock.advance(seconds: 3600)
                let notice = harness.answer(request, type: .delayNotice, id: 51)
                #expect(try await harness.verdict(on: notice, from: &france) == .accepted)
                harness.clock.advance(seconds: 8 * 3600)
                await harness.router.sweepDeadlines()
                #expect(await harness.router.snapshot().deadlinesBreached.isEmpty)
                harness.clock.advance(seconds: 36 * 3600)
                let reply = harness.answer(request, type: .reply, id: 52)
                #expect(try await harness.verdict(on: reply, from: &france) == .accepted)
                let statistics = await harness.router.snapshot()
                #expect(statistics.deadlinesMet == ["DL-09": 1])
                #expect(statistics.deadlinesBreached.isEmpty)
            }
        }
    }
}
