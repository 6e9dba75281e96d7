import EIXMAudit
import EIXMModel
import EIXMRouter
import EIXMTestKit
import EIXMTransport
import Foundation
import Testing

/// The frames of one read reach the router together (one hop through its actor for a run of messages): each must
/// still be handled alone, in order.
@Suite("The router, frames of one read", .timeLimit(.minutes(1)))
struct RouterBatchTests {
    /// What the sender is answered, as (message, rules of a refusal; empty for an ACK).
    static func answer(_ frame: Frame) -> (UUID, [String])? {
        switch frame {
        case .ack(let ack): (ack.message, [])
        case .nack(let refusal): (refusal.message, refusal.reasons.map(\.rule))
        default: nil
        }
    }

    @Test(
        "messages in one read are answered and audited in their order: good ones ACKed, bad ones refused, a resend as before"
    )
    func mixedRead() async throws {
        let harness = try RouterHarness()
        let first = harness.request(1)
        let second = harness.request(2)
        var tampered = try harness.sealed(harness.request(3))
        tampered[tampered.count - 70] ^= 0x01
        var impostor = first
        impostor.caseID = "another case under the first message's ID"
        let read: [Frame] = [
            .message(envelope: try harness.sealed(first)),
            .message(envelope: tampered),
            .message(envelope: [1, 2, 3]),
            .message(envelope: try harness.sealed(second)),
            .message(envelope: try harness.sealed(first)),
            .message(envelope: try harness.sealed(impostor)),
        ]
        let zero = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        let expected: [(UUID, [String])] = [
            (first.id, []),
            (harness.request(3).id, [RouterCheck.signature.rawValue]),
            (zero, [RouterCheck.malformed.rawValue]),
            (second.id, []),
            (first.id, []),
            (first.id, [RouterCheck.duplicate.rawValue]),
        ]
        try await harness.running {
            try await harness.withPeers([.spoc(.be), .spoc(.fr)]) { peers in
                var belgium = try #require(peers[.spoc(.be)])
                var france = try #require(peers[.spoc(.fr)])
                try await belgium.connection.outbound.send(read)
                var answers: [(UUID, [String])] = []
                while answers.count < expected.count, let frame = try await belgium.nextMeaningful() {
                    if let answer = Self.answer(frame) { answers.append(answer) }
                }
                #expect(answers.map(\.0) == expected.map(\.0))
                #expect(answers.map(\.1) == expected.map(\.1))
                // France got the two accepted messages once each, in order: the resend is not delivered again.
                let delivered = try await france.sync().compactMap { frame -> UUID? in
                    guard case .delivery(let delivery) = frame else { return nil }
                    return try? Envelope(wireBytes: delivery.envelope).header.id
                }
                #expect(delivered == [first.id, second.id])
            }
        }
        // The audit log holds their arrivals in the same order: the read's records go to the log together, and
        // neither a refusal before judgement nor a resend may overtake the records of the messages before it.
        let arrivals = harness.audit.events.filter { [.accepted, .rejected, .duplicate].contains($0.kind) }
        #expect(arrivals.map(\.kind) == [.accepted, .rejected, .rejected, .accepted, .duplicate, .rejected])
        #expect(arrivals.map(\.messageID) == expected.map(\.0))
    }

    @Test("more messages in one read than the router takes at once: every one answered and delivered, in order")
    func longRead() async throws {
        let harness = try RouterHarness()
        let headers = (1...40).map { harness.request(UInt8($0)) }
        try await harness.running {
            try await harness.withPeers([.spoc(.be), .spoc(.fr)]) { peers in
                var belgium = try #require(peers[.spoc(.be)])
                var france = try #require(peers[.spoc(.fr)])
                try await belgium.connection.outbound.send(headers.map { .message(envelope: try harness.sealed($0)) })
                var answers: [(UUID, [String])] = []
                while answers.count < headers.count, let frame = try await belgium.nextMeaningful() {
                    if let answer = Self.answer(frame) { answers.append(answer) }
                }
                #expect(answers.map(\.0) == headers.map(\.id))
                #expect(answers.allSatisfy { $0.1.isEmpty })
                var delivered: [UUID] = []
                while delivered.count < headers.count, let frame = try await france.nextMeaningful() {
                    guard case .delivery(let delivery) = frame else { continue }
                    delivered.append(try Envelope(wireBytes: delivery.envelope).header.id)
                }
                #expect(delivered == headers.map(\.id))
            }
        }
    }

    @Test("frames after a GOODBYE in the same read are not handled: the connection ends there")
    func goodbyeEndsTheRead() async throws {
        let harness = try RouterHarness()
        let before = harness.request(1)
        let after = harness.request(2)
        try await harness.running {
            try await harness.withPeers([.spoc(.be)]) { peers in
                var belgium = try #require(peers[.spoc(.be)])
                try await belgium.connection.outbound.send([
                    .message(envelope: try harness.sealed(before)),
                    .goodbye(reason: "leaving"),
                    .message(envelope: try harness.sealed(after)),
                ])
                // The router closes its side: the node's frames end.
                while try await belgium.next() != nil {}
            }
            await harness.router.flushed()
        }
        let ids = Set(harness.audit.events.compactMap(\.messageID))
        #expect(ids.contains(before.id))
        #expect(!ids.contains(after.id))
    }
}
