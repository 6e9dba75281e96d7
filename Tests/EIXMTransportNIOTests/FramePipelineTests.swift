import EIXMModel
import EIXMTestKit
import EIXMTransport
import NIOCore
import NIOEmbedded
import Testing

@testable import EIXMTransportNIO

/// The handlers every connection gets, client and server alike, from the one function that adds them.
@Suite("Frame pipeline")
struct FramePipelineTests {
    /// Stands in for the TLS handler: passes bytes through.
    final class PlainBytes: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        typealias InboundOut = ByteBuffer
    }

    @Test("bytes in come out as frames, in order, after the handler standing for TLS")
    func frames() throws {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addFrameHandlers(tls: PlainBytes(), idleTimeout: .seconds(5))
        try channel.writeInbound(FrameCodecTests.encoded([.hello(node: .spoc(.be)), .heartbeat]))
        #expect(try channel.readInbound(as: Frame.self) == .hello(node: .spoc(.be)))
        #expect(try channel.readInbound(as: Frame.self) == .heartbeat)
        #expect(try channel.readInbound(as: Frame.self) == nil)
    }

    @Test("the idle check's event closes the connection; other events pass on")
    func idle() throws {
        let channel = EmbeddedChannel()
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 7443)).wait()
        try channel.pipeline.syncOperations.addFrameHandlers(tls: PlainBytes(), idleTimeout: .seconds(5))
        // (IdleStateHandler reads the wall clock, which an embedded loop cannot move: its event is sent here.)
        channel.pipeline.fireUserInboundEventTriggered(IdleStateHandler.IdleStateEvent.read)
        #expect(channel.isActive)
        channel.pipeline.fireUserInboundEventTriggered(IdleStateHandler.IdleStateEvent.all)
        #expect(!channel.isActive)
    }

    /// A connected channel with the handlers a node gets: a 5 s idle timeout after a 30 s setup timeout.
    static func connectedWithSetupTimeout() throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 7443)).wait()
        try channel.pipeline.syncOperations.addFrameHandlers(
            tls: PlainBytes(),
            idleTimeout: .seconds(5),
            setupTimeout: .seconds(30)
        )
        return channel
    }

    @Test("with a setup timeout, a connection waits that long for its first frame, not the idle timeout")
    func setupWaits() throws {
        let channel = try Self.connectedWithSetupTimeout()
        #expect((try? channel.pipeline.syncOperations.handler(type: IdleStateHandler.self)) == nil)
        channel.embeddedEventLoop.advanceTime(by: .seconds(29))
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .seconds(1))
        #expect(!channel.isActive)
    }

    @Test(
        "a frame read and none written is not yet a connection: no idle check while the answer (the router's WELCOME) is still to be written"
    )
    func readAloneKeepsSetup() throws {
        let channel = try Self.connectedWithSetupTimeout()
        try channel.writeInbound(FrameCodecTests.encoded([.hello(node: .spoc(.be))]))
        #expect(try channel.readInbound(as: Frame.self) == .hello(node: .spoc(.be)))
        let pipeline = channel.pipeline.syncOperations
        #expect((try? pipeline.handler(type: IdleStateHandler.self)) == nil)
        #expect((try? pipeline.handler(type: SetupDeadline.self)) != nil)
        // Only the setup deadline closes it.
        channel.embeddedEventLoop.advanceTime(by: .seconds(29))
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .seconds(1))
        #expect(!channel.isActive)
    }

    @Test(
        "a frame each way ends the setup, whichever went first: the idle check starts, the setup deadline is gone",
        arguments: [true, false]
    )
    func setupEnds(writesFirst: Bool) throws {
        let channel = try Self.connectedWithSetupTimeout()
        channel.embeddedEventLoop.advanceTime(by: .seconds(20))
        let answer = FrameCodecTests.encoded([.heartbeat])
        if writesFirst { try channel.writeOutbound(answer) }
        try channel.writeInbound(FrameCodecTests.encoded([.heartbeat, .heartbeat]))
        #expect(try channel.readInbound(as: Frame.self) == .heartbeat)
        #expect(try channel.readInbound(as: Frame.self) == .heartbeat)
        if !writesFirst { try channel.writeOutbound(answer) }
        #expect(try channel.readOutbound(as: ByteBuffer.self) == answer)
        let pipeline = channel.pipeline.syncOperations
        #expect((try? pipeline.handler(type: IdleStateHandler.self)) != nil)
        #expect((try? pipeline.handler(type: SetupDeadline.self)) == nil)
        channel.embeddedEventLoop.advanceTime(by: .seconds(60))
        #expect(channel.isActive)
        // The idle check sits before the closer: its event closes the connection.
        channel.pipeline.fireUserInboundEventTriggered(IdleStateHandler.IdleStateEvent.all)
        #expect(!channel.isActive)
    }
}
