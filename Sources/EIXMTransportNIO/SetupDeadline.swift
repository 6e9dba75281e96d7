import EIXMTransport
import NIOCore

/// Closes a connection whose first frame has not come within `timeout` of the handler being added; on the first
/// frame it hands over to the idle check (an `IdleStateHandler` of `idleTimeout` before `closer`) and leaves the
/// pipeline.
final class SetupDeadline: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = Frame
    typealias InboundOut = Frame

    private let timeout: TimeAmount
    private let idleTimeout: TimeAmount
    private let closer: IdleCloser
    private var deadline: Scheduled<Void>?

    init(timeout: TimeAmount, idleTimeout: TimeAmount, closer: IdleCloser) {
        self.timeout = timeout
        self.idleTimeout = idleTimeout
        self.closer = closer
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let channel = context.channel
        deadline = context.eventLoop.scheduleTask(in: timeout) { channel.close(promise: nil) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.fireChannelRead(data)
        guard let deadline else { return }
        deadline.cancel()
        self.deadline = nil
        let pipeline = context.pipeline.syncOperations
        do {
            try pipeline.addHandler(IdleStateHandler(allTimeout: idleTimeout), position: .before(closer))
            // Last: a removed handler's context passes nothing on.
            pipeline.removeHandler(context: context, promise: nil)
        } catch {
            context.fireErrorCaught(error)
        }
    }
}
