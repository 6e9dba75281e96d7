import EIXMModel
import EIXMTransport

/// How the router behaves, beyond the rules.
public struct RouterConfiguration: Sendable {
    /// The router's own node ID (bound in its certificate).
    public var identity: NodeID
    /// Most messages waiting for one recipient (offline, or delivered and not yet acknowledged). Beyond it the
    /// sender gets a NACK (QUEUE_FULL).
    public var queueLimit: Int
    /// Most frames beyond its deliveries (at most `queueLimit`) waiting to be written to one connection before the
    /// router stops reading from it: a node that does not read its acknowledgements slows itself down, memory stays
    /// bounded, and a node that is merely sent a lot (Europol, with every copy) is still read.
    public var backlogLimit: Int
    /// How far, in simulated seconds, a message's `created_at` may be from the router's time before it is refused
    /// as a replay.
    public var replayWindowSeconds: Int64
    /// How many message IDs the router remembers to refuse duplicates.
    public var rememberedMessages: Int
    /// How many accepted messages the router keeps in the case context, for the replies, clarifications, forwards
    /// and deadlines that refer to them; beyond it the oldest is forgotten (what refers to it is judged without
    /// it, and a deadline it had is no longer followed). Bounds the router's memory in long and heavy runs.
    public var contextMessages: Int
    /// How often nodes send heartbeats, in milliseconds (real time).
    public var heartbeatMilliseconds: UInt32
    /// Nodes whose certificates are revoked: their connections are refused.
    public var revoked: Set<NodeID>
    /// Limits on the listening socket: connections in total, per address and in their handshake, and how long a
    /// handshake and the first frame may take.
    public var connectionLimits = ConnectionLimits()

    public init(
        identity: NodeID = .router,
        queueLimit: Int = 10_000,
        backlogLimit: Int = 4_096,
        replayWindowSeconds: Int64 = 24 * 3600,
        rememberedMessages: Int = 1_000_000,
        contextMessages: Int = 250_000,
        heartbeatMilliseconds: UInt32 = 1_000,
        revoked: Set<NodeID> = []
    ) {
        self.identity = identity
        self.queueLimit = queueLimit
        self.backlogLimit = backlogLimit
        self.replayWindowSeconds = replayWindowSeconds
        self.rememberedMessages = rememberedMessages
        self.contextMessages = contextMessages
        self.heartbeatMilliseconds = heartbeatMilliseconds
        self.revoked = revoked
    }
}
