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
        .ack(Frame.Acknowledgement(message: SampleMessages.id(2), kind: .delivered)),
        .nack(Frame.Refusal(message: SampleMessages.id(3), reasons: [.init(rule: "CH-01", text: "not on SIENA"), .init(rule: "AUTH", text: "é")])),
        .heartbeat,
        .goodbye(reason: "going offline"),
    ]

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

    @Test("random payloads decode to a frame whose payload is exactly them, or to an error that says what is wrong", arguments: [UInt64(5), 6])
    func random(seed: UInt64) {
        var random = SeededGenerator(seed: seed)
        var decoded = 0
        for index in 0..<5000 {
            // Half the payloads start with a defined type byte, so that both outcomes are exercised.
            var payload = random.bytes(Int.random(in: 0..<64, using: &random))
            if index % 2 == 0 {
                payload.insert(UInt8.random(in: 1...8, using: &random), at: 0)
                if Bool.random(using: &random) { payload = Array(payload.prefix(Int.random(in: 1...18, using: &random))) }
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
