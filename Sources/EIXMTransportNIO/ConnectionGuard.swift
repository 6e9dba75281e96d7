import EIXMModel
import EIXMTransport
import Logging
import NIOCore
import NIOSSL
import NIOTLS

/// Enforces the listening socket's `ConnectionLimits`: admits or refuses each accepted connection, and counts what
/// is open, by address, and still in its handshake. Shared by the server's child channels.
///
/// Handshakes in progress are held at `maxHandshakes` by pausing the listening socket's accepts (the kernel's
/// backlog keeps the next connections waiting) and resuming them as handshakes finish: a connect storm is served in
/// turn instead of refused and retried. Connections accepted in the moment before the pause takes effect are
/// still refused.
final class ConnectionGuard: Sendable {
    private struct State {
        var open = 0
        var byAddress: [String: Int] = [:]
        var handshaking = 0
        var refusals: [ConnectionLimits.Refusal: Int] = [:]
        /// The listening socket, whether its accepts are paused, and how many times they were.
        var listener: (any NIOCore.Channel)?
        var paused = false
        var pauses = 0
    }

    let limits: ConnectionLimits
    private let state = Locked(State())
    private let logger: Logger

    init(limits: ConnectionLimits, logger: Logger) {
        self.limits = limits
        self.logger = logger
    }

    /// The refusals so far, by reason.
    var refusals: [ConnectionLimits.Refusal: Int] { state.withLock { $0.refusals } }

    /// How many times accepts were paused at `maxHandshakes`.
    var pauses: Int { state.withLock { $0.pauses } }

    /// Connections open now.
    var openConnections: Int { state.withLock { $0.open } }

    /// Admits a new connection from `address`, accepted by `listener` (counted until `release`), or says which
    /// limit refuses it.
    func admit(_ address: String, listener: (any NIOCore.Channel)?) -> ConnectionLimits.Refusal? {
        let (refusal, full) = state.withLock { state -> (ConnectionLimits.Refusal?, (any NIOCore.Channel)?) in
            if state.listener == nil { state.listener = listener }
            if state.open >= limits.maxConnections { return (.tooManyConnections, nil) }
            if state.byAddress[address, default: 0] >= limits.maxPerAddress { return (.tooManyFromAddress, nil) }
            if state.handshaking >= limits.maxHandshakes { return (.tooManyHandshakes, nil) }
            state.open += 1
            state.byAddress[address, default: 0] += 1
            state.handshaking += 1
            return (nil, state.handshaking >= limits.maxHandshakes && !state.paused ? state.listener : nil)
        }
        if let full { settleAccepts(full) }
        if let refusal { refused(refusal, address: address) }
        return refusal
    }

    /// Pauses or resumes the listener's accepts as the handshakes in progress *then* ask, on the listener's own event
    /// loop: pauses and resumes asked for from several connections' loops are applied in one order, each after
    /// reading the count afresh, so the last one applied always matches the count.
    private func settleAccepts(_ listener: any NIOCore.Channel) {
        listener.eventLoop.execute {
            let pause = self.state.withLock { state -> Bool? in
                let full = state.handshaking >= self.limits.maxHandshakes
                guard full != state.paused else { return nil }
                state.paused = full
                if full { state.pauses += 1 }
                return full
            }
            guard let pause else { return }
            listener.setOption(ChannelOptions.autoRead, value: !pause).whenFailure { _ in }
        }
    }

    /// The listener to settle, when a handshake just ended below the limit while accepts are (or are being) paused.
    private func endHandshake(_ state: inout State) -> (any NIOCore.Channel)? {
        state.handshaking -= 1
        return state.handshaking < limits.maxHandshakes && state.paused ? state.listener : nil
    }

    /// The admitted connection finished its handshake.
    func handshakeDone() {
        if let listener = state.withLock({ endHandshake(&$0) }) { settleAccepts(listener) }
    }

    /// The admitted connection closed (`handshaking`: before its handshake finished).
    func release(_ address: String, handshaking: Bool) {
        let listener = state.withLock { state -> (any NIOCore.Channel)? in
            state.open -= 1
            state.byAddress[address, default: 1] -= 1
            if state.byAddress[address] == 0 { state.byAddress[address] = nil }
            return handshaking ? endHandshake(&state) : nil
        }
        if let listener { settleAccepts(listener) }
    }

    func refused(_ refusal: ConnectionLimits.Refusal, address: String) {
        state.withLock { $0.refusals[refusal, default: 0] += 1 }
        logger.warning("connection refused", metadata: ["peer.address": "\(address)", "reason": "\(refusal.rawValue)"])
    }
}

/// Closes a connection whose TLS handshake is not finished, or whose first frame has not come, in time; tells the
/// guard when the handshake is done and releases the connection when it closes. Sits after the frame decoder, so
/// that it sees the handshake's event and the first decoded frame.
final class ConnectionDeadlines: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = Frame
    typealias InboundOut = Frame

    private let guardian: ConnectionGuard
    private let address: String
    private var handshaking = true
    private var deadline: Scheduled<Void>?

    init(guardian: ConnectionGuard, address: String) {
        self.guardian = guardian
        self.address = address
    }

    func handlerAdded(context: ChannelHandlerContext) {
        arm(context, after: guardian.limits.handshakeTimeoutMilliseconds, .handshakeTimeout)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
        guardian.release(address, handshaking: handshaking)
        handshaking = false
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if handshaking, let tls = event as? TLSUserEvent, case .handshakeCompleted = tls {
            handshaking = false
            guardian.handshakeDone()
            arm(context, after: guardian.limits.helloTimeoutMilliseconds, .helloTimeout)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        // The first frame came: no more deadline of this handler's (the idle check goes on).
        if deadline != nil {
            deadline?.cancel()
            deadline = nil
        }
        context.fireChannelRead(data)
    }

    private func arm(_ context: ChannelHandlerContext, after milliseconds: Int64, _ refusal: ConnectionLimits.Refusal) {
        deadline?.cancel()
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        let (guardian, address) = (guardian, address)
        deadline = context.eventLoop.scheduleTask(in: .milliseconds(milliseconds)) {
            guardian.refused(refusal, address: address)
            bound.value.close(promise: nil)
        }
    }
}
