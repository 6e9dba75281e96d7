import NIOCore

#if canImport(Glibc)
import Glibc
#endif

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

extension ChannelOptions.Types.SocketOption {
    /// `TCP_USER_TIMEOUT`: the kernel drops a connection whose sent data stays unacknowledged this many milliseconds.
    /// A peer cut off by the network (a link down, a host gone) is found by it: the writes of the side still up go
    /// into its socket buffer and complete, so they count as activity to the idle check, and only the missing TCP
    /// acknowledgements tell. Nil where the system has no such option.
    static var tcpUserTimeout: ChannelOptions.Types.SocketOption? {
        #if canImport(Glibc)
        ChannelOptions.Types.SocketOption(level: .tcp, name: NIOBSDSocket.Option(rawValue: CInt(TCP_USER_TIMEOUT)))
        #else
        nil
        #endif
    }
}

extension TimeAmount {
    /// Whole milliseconds, for socket options.
    var socketMilliseconds: Int { Int(nanoseconds / 1_000_000) }

    /// The same span as a Swift `Duration`, to the nanosecond.
    init(_ duration: Duration) {
        self = .nanoseconds(
            duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
        )
    }
}
