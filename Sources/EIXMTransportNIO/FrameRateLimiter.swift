import EIXMTransport
import NIOCore

/// Closes a connection that sends frames faster than ``ConnectionLimits/maxFramesPerSecond``: a token bucket that
/// holds one second's worth (so a burst that size passes) and refills at that rate. Sits after the frame decoder.
final class FrameRateLimiter: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = Frame
    typealias InboundOut = Frame

    private let guardian: ConnectionGuard
    private let address: String
    private let rate: Double
    private var tokens: Double
    private var refilled = NIODeadline.now()
    private var closed = false

    init(guardian: ConnectionGuard, address: String) {
        self.guardian = guardian
        self.address = address
        rate = Double(guardian.limits.maxFramesPerSecond)
        tokens = rate
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !closed else { return }
        let now = NIODeadline.now()
        tokens = min(rate, tokens + Double((now - refilled).nanoseconds) * rate / 1e9)
        refilled = now
        guard tokens >= 1 else {
            closed = true
            guardian.refused(.tooManyFrames, address: address)
            context.close(promise: nil)
            return
        }
        tokens -= 1
        context.fireChannelRead(data)
    }
}
