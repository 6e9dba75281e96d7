import EIXMTransport
import NIOCore

/// Passes on the frames decoded from one read of the socket as one batch, so that the task serving the connection
/// takes them in one step (one hop through the router actor for all of them, not one per frame). The last handler
/// of a connection's pipeline; frames decoded after the last read (at the end of the connection, or before an
/// error) are passed on before that event.
final class FrameBatcher: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = Frame
    typealias InboundOut = [Frame]

    private var frames: [Frame] = []

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        frames.append(unwrapInboundIn(data))
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        passOn(context)
        context.fireChannelReadComplete()
    }

    func channelInactive(context: ChannelHandlerContext) {
        passOn(context)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        passOn(context)
        context.fireErrorCaught(error)
    }

    private func passOn(_ context: ChannelHandlerContext) {
        guard !frames.isEmpty else { return }
        let batch = frames
        frames = []
        context.fireChannelRead(wrapInboundOut(batch))
    }
}
