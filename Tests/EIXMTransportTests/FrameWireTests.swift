import EIXMModel
import EIXMTestKit
import EIXMTransport
import Foundation
import Testing

@Suite("Frames")
struct FrameWireTests {
    static let samples: [Frame] = [
        .hello(node: .spoc(.be)),
        .welcome(Frame.Welcome(router: .router, simulatedTime: SampleMessages.createdAt, heartbeatMilliseconds: 1000)),
        .message(envelope: [1, 2, 3]),
        .delivery(Frame.Delivery(envelope: [9, 9], copyRule: "EU-02", deadline: SampleMessages.createdAt)),
        .delivery(Frame.Delivery(envelope: [])),
        .ack(Frame.Acknowledgement(message: SampleMessages.id(1), kind: .accepted)),
        .receipt(Self.receipt(signature: .ed25519(Array(repeating: 7, count: 64)))),
        .receipt(
            Self.receipt(
                signature: .batch(
                    try! BatchSignature(
                        rootSignature: Array(repeating: 8, count: 64),
                        leafIndex: 2,
                        batchSize: 3,
                        path: [Array(repeating: 1, count: 32)]
                    )
                )
            )
        ),
        .nack(
            Frame.Refusal(
                message: SampleMessages.id(3),
                reasons: [.init(rule: "CH-01", text: "not on SIENA"), .init(rule: "AUTH", text: "é")]
            )
        ),
        .heartbeat,
        .goodbye(reason: "going offline"),
    ]

    static func receipt(signature: SignatureBlock) -> DeliveryReceipt {
        DeliveryReceipt(
            content: try! DeliveryReceipt.Content(
                message: SampleMessages.id(2),
                headerDigest: Array(repeating: 0xAA, count: 32),
                bodyDigest: Array(repeating: 0xBB, count: 32),
                receivedAt: SampleMessages.createdAt
            ),
            signature: signature
        )
    }

    @Test(
        "a RECEIPT cut anywhere, with an unknown scheme, a signature of the wrong length or bytes after it, is an error naming the field; the retired ACK kind 2 says what replaced it"
    )
    func receiptErrors() throws {
        let payload = Frame.receipt(Self.receipt(signature: .ed25519(Array(repeating: 7, count: 64)))).payload()
        for length in 1..<payload.count {
            #expect(throws: FrameError.self, "cut at \(length)") { try Frame(payload: Array(payload.prefix(length))) }
        }
        #expect(throws: FrameError.self) { try Frame(payload: payload + [0]) }
        // The scheme byte sits after type, ID, time and both digests.
        let schemeAt = 1 + 16 + 8 + 64
        var unknown = payload
        unknown[schemeAt] = 9
        #expect(throws: FrameError.self) { try Frame(payload: unknown) }
        do {
            _ = try Frame(payload: unknown)
        } catch {
            #expect("\(error)".contains("RECEIPT") && "\(error)".contains("scheme 9"), "\(error)")
        }
        var short = Array(payload.prefix(schemeAt + 1)) + [0, 63] + Array(repeating: 7, count: 63)
        #expect(throws: FrameError.self) { try Frame(payload: short) }
        short = Array(payload.prefix(schemeAt + 1)) + [0, 0]
        #expect(throws: FrameError.self) { try Frame(payload: short) }
        var ack = Frame.ack(Frame.Acknowledgement(message: SampleMessages.id(1), kind: .accepted)).payload()
        ack[ack.count - 1] = 2
        do {
            _ = try Frame(payload: ack)
            Issue.record("ACK kind 2 was read")
        } catch {
            #expect("\(error)".contains("RECEIPT (type 9)"), "\(error)")
        }
    }

    @Test("every frame type round-trips", arguments: samples)
    func roundTrip(frame: Frame) throws {
        #expect(try Frame(payload: frame.payload()) == frame)
    }

    @Test("an unknown type, a truncated frame and trailing bytes are errors")
    func errors() throws {
        #expect(throws: FrameError.self) { try Frame(payload: []) }
        #expect(throws: FrameError.self) { try Frame(payload: [0x42]) }
        #expect(throws: FrameError.self) { try Frame(payload: [5, 1, 2]) }
        #expect(throws: FrameError.self) { try Frame(payload: Frame.heartbeat.payload() + [0]) }
        #expect(throws: FrameError.self) { try Frame(payload: [1, 7] + Array("spoc be".utf8)) }
        #expect(throws: FrameError.self) { try Frame(payload: [4, 0x80]) }
        do {
            _ = try Frame(payload: [0x42])
        } catch {
            #expect(error.code == .unknownType)
        }
    }

    @Test(
        "random payloads decode to a frame whose payload is exactly them, or to an error that says what is wrong",
        arguments: [UInt64(5), 6]
    )
    func random(seed: UInt64) {
        var random = SeededGenerator(seed: seed)
        var decoded = 0
        for index in 0..<5000 {
            // Half the payloads start with a defined type byte, so that both outcomes are exercised.
            var payload = random.bytes(Int.random(in: 0..<64, using: &random))
            if index % 2 == 0 {
                payload.insert(UInt8.random(in: 1...8, using: &random), at: 0)
                if Bool.random(using: &random) {
                    payload = Array(payload.prefix(Int.random(in: 1...18, using: &random)))
                }
            }
            do {
                let frame = try Frame(payload: payload)
                #expect(frame.payload() == payload, "\(frame) does not re-encode to its payload")
                decoded += 1
            } catch {
                #expect(!error.detail.isEmpty)
            }
        }
        #expect(decoded > 0)
    }
}
