import NIOCore

extension ChannelPipeline.SynchronousOperations {
    /// The handlers of every eixm connection, client and server alike: the TLS handler, a close after
    /// `idleTimeout` without traffic, and the frame decoder (`length:u32 payload`).
    ///
    /// With a `setupTimeout` the idle check starts only once a frame has gone each way (a node's HELLO and the router's
    /// WELCOME): until then the connection has `setupTimeout` to be made (the TLS handshake, the HELLO and its answer),
    /// however long either side takes to come to it. So a router busy with a connect storm is waited for rather than
    /// left after `idleTimeout` with half a handshake done for nothing, and a router that has read a HELLO does not
    /// close the connection as idle while its own WELCOME is still to be written.
    func addFrameHandlers(tls: some ChannelHandler, idleTimeout: TimeAmount, setupTimeout: TimeAmount? = nil) throws {
        let closer = IdleCloser()
        try addHandler(tls)
        if setupTimeout == nil { try addHandler(IdleStateHandler(allTimeout: idleTimeout)) }
        try addHandler(closer)
        try addHandler(ByteToMessageHandler(FrameDecoder()))
        if let setupTimeout {
            try addHandler(SetupDeadline(timeout: setupTimeout, idleTimeout: idleTimeout, closer: closer))
        }
    }
}
