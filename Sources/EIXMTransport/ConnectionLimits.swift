/// Limits on the router's listening socket, against floods of connections: a connection over a limit is closed as
/// soon as it is accepted, before any TLS work, one that is slow to finish its handshake or to send its first
/// frame is closed when its time is up, and one that sends frames faster than allowed is closed. Each refusal is counted by reason and logged.
public struct ConnectionLimits: Sendable, Hashable {
    /// Most connections at once.
    public var maxConnections: Int
    /// Most connections at once from one source address (every node of a local exercise shares 127.0.0.1).
    public var maxPerAddress: Int
    /// Most connections at once whose TLS handshake is not finished.
    public var maxHandshakes: Int
    /// How long a connection may take to finish its TLS handshake, in milliseconds.
    public var handshakeTimeoutMilliseconds: Int64
    /// How long, once the handshake is done, it may take to send its first frame (HELLO), in milliseconds.
    public var helloTimeoutMilliseconds: Int64
    /// Most frames a connection may send per second, on average; a burst of as many is allowed (a token bucket).
    /// A connection over it is closed.
    public var maxFramesPerSecond: Int

    public init(
        maxConnections: Int = 16_384,
        maxPerAddress: Int = 12_000,
        maxHandshakes: Int = 512,
        handshakeTimeoutMilliseconds: Int64 = 10_000,
        helloTimeoutMilliseconds: Int64 = 10_000,
        maxFramesPerSecond: Int = 20_000
    ) {
        self.maxConnections = maxConnections
        self.maxPerAddress = maxPerAddress
        self.maxHandshakes = maxHandshakes
        self.handshakeTimeoutMilliseconds = handshakeTimeoutMilliseconds
        self.helloTimeoutMilliseconds = helloTimeoutMilliseconds
        self.maxFramesPerSecond = maxFramesPerSecond
    }

    /// Why a connection was closed by a limit (the keys of the refusal counts).
    public enum Refusal: String, Sendable, CaseIterable {
        case tooManyConnections = "too many connections"
        case tooManyFromAddress = "too many connections from one address"
        case tooManyHandshakes = "too many handshakes in progress"
        case handshakeTimeout = "TLS handshake not finished in time"
        case helloTimeout = "no HELLO in time"
        case tooManyFrames = "too many frames per second"
    }
}
