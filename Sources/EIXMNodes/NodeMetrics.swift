import EIXMModel
import Metrics

/// A node's figures as swift-metrics counters labelled with its node ID, counted where ``NodeStatistics`` counts
/// them: what it sent, how the router answered, what it received and acted on. The process's factory (bootstrapped by
/// the CLI, no-op otherwise).
struct NodeMetrics {
    private let sent: Counter
    private let accepted: Counter
    private let rejected: Counter
    private let actedOn: Counter
    private let duplicatesSuppressed: Counter
    private let badSignatures: Counter

    init(node: NodeID) {
        let node = [("node", node.rawValue)]
        sent = Counter(label: "eixm_node_messages_sent_total", dimensions: node)
        accepted = Counter(label: "eixm_node_answers_total", dimensions: node + [("outcome", "accepted")])
        rejected = Counter(label: "eixm_node_answers_total", dimensions: node + [("outcome", "rejected")])
        actedOn = Counter(label: "eixm_node_deliveries_total", dimensions: node + [("outcome", "acted_on")])
        duplicatesSuppressed = Counter(
            label: "eixm_node_deliveries_total",
            dimensions: node + [("outcome", "duplicate_suppressed")]
        )
        badSignatures = Counter(
            label: "eixm_node_deliveries_total",
            dimensions: node + [("outcome", "bad_signature")]
        )
    }

    func messageSent() { sent.increment() }
    func answered(accepted isAccepted: Bool) { (isAccepted ? accepted : rejected).increment() }
    func deliveryActedOn() { actedOn.increment() }
    func duplicateSuppressed() { duplicatesSuppressed.increment() }
    func badSignature() { badSignatures.increment() }
}
