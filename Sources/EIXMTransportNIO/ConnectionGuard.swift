import EIXMModel
import EIXMTransport
import Logging
import NIOCore
import NIOSSL
import NIOTLS

/// Enforces the listening socket's `ConnectionLimits`: admits or refuses each accepted connection, and counts what
/// is open, by address, and still in its handshake. Shared by the server's child channels.
final class ConnectionGuard: Sendable {
    private struct State {
        var open = 0
        var byAddress: [String: Int] = [:]
        var handshaking = 0
        var refusals: [ConnectionLimits.Refusal: Int] = [:]
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

    /// Connections open now.
    var openConnections: Int { state.withLock { $0.open } }

    /// Admits a new connection from `address` (counted until `release`), or says which limit refuses it.
    func admit(_ address: String) -> ConnectionLimits.Refusal? {
        let refusal = state.withLock { state -> ConnectionLimits.Refusal? in
            if state.open >= limits.maxConnections { return .tooManyConnections }
            if state.byAddress[address, default: 0] >= limits.maxPerAddress { return .tooManyFromAddress }
            if state.handshaking >= limits.maxHandshakes { return .tooManyHandshakes }
            state.open += 1
            state.byAddress[address, default: 0] += 1
            state.handshaking += 1
            return nil
        }
        if let refusal { refused(refusal, address: address) }
        return refusal
    }

    /// The admitted connection finished its handshake.
    func handshakeDone() { state.withLock { $0.handshaking -= 1 } }

    /// The admitted connection closed (`handshaking`: before its handshake finished).
    func release(_ address: String, handshaking: Bool) {
        state.withLock { state in
            state.open -= 1
            state.byAddress[address, default: 1] -= 1
            if state.byAddress[address] == 0 { state.byAddress[address] = nil }
            if handshaking { state.handshaking -= 1 }
        }
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
