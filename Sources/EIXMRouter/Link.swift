import EIXMModel
import EIXMTransport

/// The router's way to one connected node: the frames queued for the node's connection, and which connection of
/// the node it is.
struct Link: Sendable {
    let node: NodeID
    /// Distinguishes successive connections of the same node.
    let generation: UInt64
    let frames: FrameQueue
}
