import EIXMModel
import EIXMTestKit
import EIXMTransport
import NIOCore
import NIOEmbedded
import NIOTestUtils
import Testing

@testable import EIXMTransportNIO

/// The frame codec on a byte stream: the same bytes in any chunking give the same frames.
@Suite("Frame codec")
struct FrameCodecTests {
    static let frames: [Frame] = [
        .hello(node: .spoc(.be)),
        .welcome(Frame.Welcome(router: .router, simulatedTime: SampleMessages.createdAt, heartbeatMilliseconds: 1000)),
        .message(envelope: Array(repeating: 7, count: 3000)),
        .delivery(Frame.Delivery(envelope: [9, 9], copyRule: "EU-02", deadline: SampleMessages.createdAt)),
        .ack(Frame.Acknowledgement(message: SampleMessages.id(1), kind: .accepted)),
        .nack(Frame.Refusal(message: SampleMessages.id(3), reasons: [.init(rule: "CH-01", text: "not on SIENA")])),
        .heartbeat,
        .goodbye(reason: "going offline"),
    ]

    static func encoded(_ frames: [Frame]) -> ByteBuffer {
        var buffer = ByteBuffer()
        for frame in frames { FrameEncoder.encode(frame, into: &buffer) }
        return buffer
    }

    @Test("each frame decodes fed whole, byte by byte, and after a partial frame (ByteToMessageDecoderVerifier)")
    func verifier() throws {
        try ByteToMessageDecoderVerifier.verifyDecoder(
            inputOutputPairs: Self.frames.map { (Self.encoded([$0]), [$0]) },
            decoderFactory: { FrameDecoder() }
        )
    }

    @Test(
        "a stream of frames cut into random chunks gives the same frames in the same order",
        arguments: [UInt64(21), 22, 23]
    )
    func randomChunks(seed: UInt64) throws {
        var random = SeededGenerator(seed: seed)
        let sent = (0..<200).map { _ in Self.frames[Int.random(in: 0..<Self.frames.count, using: &random)] }
        let stream = Self.encoded(sent)
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(FrameDecoder()))
        var offset = 0
        var received: [Frame] = []
        while offset < stream.readableBytes {
            let length = min(Int.random(in: 1...600, using: &random), stream.readableBytes - offset)
            try channel.writeInbound(stream.getSlice(at: stream.readerIndex + offset, length: length)!)
            offset += length
            while let frame = try channel.readInbound(as: Frame.self) { received.append(frame) }
        }
        #expect(received == sent)
        #expect(try channel.finish().isClean)
    }

    @Test("a stream that ends inside a frame is an error, not a frame")
    func endsInsideFrame() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(FrameDecoder()))
        var stream = Self.encoded([.heartbeat, .hello(node: .spoc(.fr))])
        stream.moveWriterIndex(to: stream.writerIndex - 2)
        try channel.writeInbound(stream)
        #expect(try channel.readInbound(as: Frame.self) == .heartbeat)
        #expect(throws: FrameError.self) { try channel.finish() }
    }
}
