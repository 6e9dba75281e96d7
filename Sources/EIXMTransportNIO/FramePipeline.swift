import NIOCore

extension ChannelPipeline.SynchronousOperations {
    /// The handlers of every eixm connection, client and server alike: the TLS handler, a close after
    /// `idleTimeout` without traffic, and the frame decoder (`length:u32 payload`).
    func addFrameHandlers(tls: some ChannelHandler, idleTimeout: TimeAmount) throws {
        try addHandler(tls)
        try addHandler(IdleStateHandler(allTimeout: idleTimeout))
        try addHandler(IdleCloser())
        try addHandler(ByteToMessageHandler(FrameDecoder()))
    }
}
