import EIXMModel
import EIXMTestKit
import EIXMTransport
import NIOCore
import NIOEmbedded
import Testing

@testable import EIXMTransportNIO

/// The frames of one read go to the connection's task together.
@Suite("Frame batcher")
struct FrameBatcherTests {
    /// A channel with the frame handlers (plain bytes standing for TLS) and the batcher after them.
    static func channel() throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addFrameHandlers(
            tls: FramePipelineTests.PlainBytes(),
            idleTimeout: .seconds(5)
        )
        try channel.pipeline.syncOperations.addHandler(FrameBatcher())
        return channel
    }

    @Test("the frames of one read come out as one batch, in order; the next read is the next batch")
    func oneReadOneBatch() throws {
        let channel = try Self.channel()
        let first: [Frame] = [.hello(node: .spoc(.be)), .heartbeat, .goodbye(reason: "done")]
        channel.pipeline.fireChannelRead(FrameCodecTests.encoded(first))
        #expect(try channel.readInbound(as: [Frame].self) == nil, "nothing before the read is complete")
        channel.pipeline.fireChannelReadComplete()
        #expect(try channel.readInbound(as: [Frame].self) == first)
        try channel.writeInbound(FrameCodecTests.encoded([.heartbeat]))
        #expect(try channel.readInbound(as: [Frame].self) == [.heartbeat])
        #expect(try channel.readInbound(as: [Frame].self) == nil)
    }

    @Test("a read that completes no frame passes nothing on; a frame split over two reads comes with the second")
    func splitFrame() throws {
        let channel = try Self.channel()
        var bytes = FrameCodecTests.encoded([.heartbeat, .hello(node: .spoc(.fr))])
        let head = bytes.readSlice(length: FrameCodecTests.encoded([.heartbeat]).readableBytes + 2)!
        try channel.writeInbound(head)
        #expect(try channel.readInbound(as: [Frame].self) == [.heartbeat])
        try channel.writeInbound(bytes)
        #expect(try channel.readInbound(as: [Frame].self) == [.hello(node: .spoc(.fr))])
        try channel.writeInbound(ByteBuffer())
        #expect(try channel.readInbound(as: [Frame].self) == nil)
    }

    @Test("frames decoded before a bad frame are passed on before the error")
    func beforeAnError() throws {
        let channel = try Self.channel()
        var bytes = FrameCodecTests.encoded([.heartbeat])
        bytes.writeInteger(UInt32(Frame.maximumPayloadBytes + 1))
        channel.pipeline.fireChannelRead(bytes)
        #expect(try channel.readInbound(as: [Frame].self) == [.heartbeat])
        #expect(throws: FrameError.self) { try channel.throwIfErrorCaught() }
    }
}
