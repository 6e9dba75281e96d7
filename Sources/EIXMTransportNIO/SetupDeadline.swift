import EIXMTransport
import NIOCore

/// Closes a connection that is not set up within `timeout` of the handler being added; once a frame has gone each
/// way it hands over to the idle check (an `IdleStateHandler` of `idleTimeout` before `closer`) and leaves the
/// pipeline.
///
/// A frame each way, not the first frame read: until a side has answered, the silence is its own. A router that
/// read a node's HELLO and has not yet written its WELCOME (its tasks slowed by a busy machine, or by a connect storm)
/// must not close the connection as idle; nor may a node that wrote its HELLO and waits for the WELCOME.
final class SetupDeadline: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = Frame
    typealias InboundOut = Frame
    typealias OutboundIn = NIOAny
    typealias OutboundOut = NIOAny

    private let timeout: TimeAmount
    private let idleTimeout: TimeAmount
    private let closer: IdleCloser
    private var deadline: Scheduled<Void>?
    private var read = false
    private var written = false

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
        read = true
        handOverIfSetUp(context)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        context.write(data, promise: promise)
        written = true
    }

    /// The hand-over waits for the flush: a handler that leaves the pipeline inside `write` loses the flush of a
    /// `writeAndFlush` (its context has no neighbour left to pass it to), and the frame would stay unsent.
    func flush(context: ChannelHandlerContext) {
        context.flush()
        handOverIfSetUp(context)
    }

    private func handOverIfSetUp(_ context: ChannelHandlerContext) {
        guard read, written, let deadline else { return }
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
