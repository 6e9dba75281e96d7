import NIOCore

extension ChannelPipeline.SynchronousOperations {
    /// The handlers of every eixm connection, client and server alike: the TLS handler, a close after
    /// `idleTimeout` without traffic, and the frame decoder (`length:u32 payload`).
    ///
    /// With a `setupTimeout` the idle check starts only with the peer's first frame: until then the connection has
    /// `setupTimeout` to be made (the TLS handshake and the peer's first answer), however long the peer takes to come
    /// to it. A node uses it, so that a router busy with a connect storm is waited for rather than left after
    /// `idleTimeout` with half a handshake done for nothing.
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
