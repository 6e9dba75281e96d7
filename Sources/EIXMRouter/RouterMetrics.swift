import EIXMModel
import EIXMRules
import Metrics

/// The router's figures as swift-metrics counters, gauges and a timer, under Prometheus-style names and labels; the
/// factory is the process's (bootstrapped by the CLI, no-op otherwise) unless a test passes its own. Each figure is
/// counted where ``RouterStatistics`` counts it, so a scrape at the end of a run says what the report says.
///
/// Handles are made once per label set and kept: the hot path pays a dictionary look-up and an atomic add.
struct RouterMetrics {
    private let factory: any MetricsFactory
    private var received: [ChannelAndType: Counter] = [:]
    private var accepted: [ChannelAndType: Counter] = [:]
    private var rejected: [String: Counter] = [:]
    private var deliveries: [Delivery: Counter] = [:]
    private var queueDepths: [NodeID: Gauge] = [:]
    private var deadlines: [Deadline: Counter] = [:]
    private var refusedConnections: [String: Counter] = [:]
    private let acknowledged: Counter
    private let receiptsRefused: Counter
    private let storageFailures: Counter
    private let online: Gauge
    private let routeDuration: Timer

    /// Keyed by the enums themselves: the per-message look-up hashes two small values, no string is made.
    private struct ChannelAndType: Hashable {
        let channel: Channel?
        let type: MessageType?
        var dimensions: [(String, String)] {
            [("channel", channel?.rawValue ?? "unknown"), ("type", type?.rawValue ?? "unknown")]
        }
    }

    private struct Delivery: Hashable {
        let node: NodeID
        let copyRule: String
    }

    private struct Deadline: Hashable {
        let rule: String
        let outcome: String
    }

    init(factory: any MetricsFactory) {
        self.factory = factory
        acknowledged = Counter(label: "eixm_acknowledgements_total", factory: factory)
        receiptsRefused = Counter(label: "eixm_receipts_refused_total", factory: factory)
        storageFailures = Counter(label: "eixm_storage_failures_total", factory: factory)
        online = Gauge(label: "eixm_connections", dimensions: [("state", "online")], factory: factory)
        routeDuration = Timer(label: "eixm_route_duration_seconds", factory: factory)
    }

    /// A message read from a connection; `nil` channel and type when its header could not be read.
    mutating func received(_ channel: Channel?, _ type: MessageType?) {
        let key = ChannelAndType(channel: channel, type: type)
        let factory = self.factory
        Self.kept(&received, key) {
            Counter(label: "eixm_messages_received_total", dimensions: key.dimensions, factory: factory)
        }.increment()
    }

    mutating func accepted(_ channel: Channel, _ type: MessageType) {
        let key = ChannelAndType(channel: channel, type: type)
        let factory = self.factory
        Self.kept(&accepted, key) {
            Counter(label: "eixm_messages_accepted_total", dimensions: key.dimensions, factory: factory)
        }.increment()
    }

    /// A rejection under `rule` (a rule ID or a router check).
    mutating func rejected(_ rule: String) {
        let factory = self.factory
        Self.kept(&rejected, rule) {
            Counter(label: "eixm_messages_rejected_total", dimensions: [("rule", rule)], factory: factory)
        }.increment()
    }

    /// Deliveries sent to `node`, as an addressee (`copyRule` nil) or as a copy a rule required.
    mutating func delivered(to node: NodeID, copyRule: String?, count: Int = 1) {
        guard count > 0 else { return }
        let key = Delivery(node: node, copyRule: copyRule ?? "none")
        let factory = self.factory
        Self.kept(&deliveries, key) {
            Counter(
                label: "eixm_deliveries_total",
                dimensions: [("node", node.rawValue), ("copy_rule", key.copyRule)],
                factory: factory
            )
        }.increment(by: Int64(count))
    }

    /// The messages waiting for `node` now.
    mutating func queueDepth(of node: NodeID, _ depth: Int) {
        let factory = self.factory
        Self.kept(&queueDepths, node) {
            Gauge(label: "eixm_queue_depth", dimensions: [("node", node.rawValue)], factory: factory)
        }.record(depth)
    }

    /// A deadline outcome: `met`, `breached` or `extended`.
    mutating func deadline(_ rule: String, _ outcome: String) {
        let factory = self.factory
        Self.kept(&deadlines, Deadline(rule: rule, outcome: outcome)) {
            Counter(
                label: "eixm_deadlines_total",
                dimensions: [("rule", rule), ("outcome", outcome)],
                factory: factory
            )
        }.increment()
    }

    /// A connection or certificate refused, by the check behind it.
    mutating func refusedConnection(_ reason: String) {
        let factory = self.factory
        Self.kept(&refusedConnections, reason) {
            Counter(label: "eixm_connections_refused_total", dimensions: [("reason", reason)], factory: factory)
        }.increment()
    }

    /// The handle kept for `key`, made the first time.
    private static func kept<Key: Hashable, Metric>(
        _ table: inout [Key: Metric],
        _ key: Key,
        make: () -> Metric
    ) -> Metric {
        if let metric = table[key] { return metric }
        let metric = make()
        table[key] = metric
        return metric
    }

    func acknowledgement() { acknowledged.increment() }
    func receiptRefused() { receiptsRefused.increment() }
    func storageFailure() { storageFailures.increment() }
    func onlineNodes(_ count: Int) { online.record(count) }
    func routed(_ duration: Duration) { routeDuration.record(duration: duration) }
}
