import EIXMModel
import EIXMRules
import Foundation

/// A fault made to happen on purpose during an exercise or a load run: the router process crashing, a node crashing,
/// part of the network cut off, or a node reading slowly. Times count from the start of the traffic, in the run's
/// simulated time (an exercise's `time_scale` turns them into real time; a load run's simulated time is real time).
public struct Fault: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// The router is dropped without any shutdown work (its storage stops mid-write) and started again from its
        /// folder after `length`.
        case routerCrash = "router_crash"
        /// A node is dropped without any shutdown work and started again from its journal after `length`.
        case nodeCrash = "node_crash"
        /// The nodes' connections are cut and new ones refused until the partition heals after `length`.
        case partition
        /// Every frame the node reads is delayed by `readDelay` for `length`.
        case slowNode = "slow_node"
    }

    public var kind: Kind
    /// The nodes it strikes (none for a router crash: it strikes every node).
    public var nodes: [NodeID]
    /// When it starts, in simulated milliseconds after the start of the traffic.
    public var atMilliseconds: Int64
    /// How long it lasts (down for, cut for, slow for), in simulated milliseconds.
    public var lengthMilliseconds: Int64
    /// For a slow node: the delay of each frame it reads, in real milliseconds.
    public var readDelayMilliseconds: Int64?

    public init(
        kind: Kind,
        nodes: [NodeID] = [],
        atMilliseconds: Int64,
        lengthMilliseconds: Int64,
        readDelayMilliseconds: Int64? = nil
    ) {
        self.kind = kind
        self.nodes = nodes
        self.atMilliseconds = atMilliseconds
        self.lengthMilliseconds = lengthMilliseconds
        self.readDelayMilliseconds = readDelayMilliseconds
    }

    /// The moment it starts and ends, in real time after the start of the traffic, at `timeScale` simulated seconds
    /// per real second.
    public func realWindow(timeScale: Double) -> (start: Duration, end: Duration) {
        let start = Double(atMilliseconds) / timeScale
        let end = Double(atMilliseconds + lengthMilliseconds) / timeScale
        return (.milliseconds(Int64(start.rounded())), .milliseconds(Int64(end.rounded())))
    }

    public var description: String {
        let whom = nodes.isEmpty ? "" : " " + nodes.map(\.rawValue).joined(separator: ", ")
        let slow = readDelayMilliseconds.map { ", reads delayed \(DurationText.text(milliseconds: $0))" } ?? ""
        return
            "\(kind.rawValue)\(whom) at +\(DurationText.text(milliseconds: atMilliseconds)) for \(DurationText.text(milliseconds: lengthMilliseconds))\(slow)"
    }
}
