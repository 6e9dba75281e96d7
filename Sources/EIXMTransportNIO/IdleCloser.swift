import NIOCore

/// Closes a connection on which nothing moved for the idle timeout: the peer sent nothing (not even a heartbeat)
/// and nothing written to it went out. Both directions count, because a side that stops reading on purpose
/// (backpressure: its peer sends faster than it can route) still sees its own writes go out to a live peer.
final class IdleCloser: ChannelInboundHandler, Sendable {
    typealias InboundIn = NIOAny

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .all {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }
}

extension TimeAmount {
    /// The same span as a Swift `Duration`, to the nanosecond.
    init(_ duration: Duration) {
        self = .nanoseconds(duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
    }
}
