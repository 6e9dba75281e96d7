/// What each metric the project exports means: the `# HELP` line of its family (the README's metrics table says the same).
enum MetricHelp {
    static let text: [String: String] = [
        // The router.
        "eixm_messages_received_total":
            "Messages the router read from a connection, by channel and message type (unknown when the header was unreadable).",
        "eixm_messages_accepted_total":
            "Messages the router accepted (stored and answered ACK), by channel and message type.",
        "eixm_messages_rejected_total":
            "Rejections by the rule ID or router check behind them; a message breaking two rules counts under both.",
        "eixm_deliveries_total":
            "Delivery frames sent to a node (again after a reconnect included), by node and by the rule that required a copy (none for an addressee).",
        "eixm_acknowledgements_total": "Deliveries acknowledged by a verified signed receipt.",
        "eixm_receipts_refused_total": "Delivery receipts refused (signature or digests wrong).",
        "eixm_queue_depth": "Deliveries waiting for a node (offline, or sent and not yet acknowledged).",
        "eixm_route_duration_seconds":
            "Time from reading a message's frame to its decision's frames queued, at the router.",
        "eixm_deadlines_total": "Deadline outcomes by deadline rule and outcome (met, breached, extended).",
        "eixm_connections": "Node connections by state (online: authenticated and serving).",
        "eixm_connections_refused_total":
            "Connections and certificates refused, by the router check behind the refusal.",
        "eixm_storage_failures_total": "Commits the audit log or the spool could not store (their answers withheld).",
        // Storage.
        "eixm_audit_fsync_duration_seconds": "Time of each fsync of the audit log.",
        "eixm_spool_fsync_duration_seconds": "Time of each fsync of a spool commit.",
        // Exercise nodes.
        "eixm_node_messages_sent_total": "Messages an exercise node signed and sent, by node.",
        "eixm_node_answers_total":
            "The router's answers to an exercise node's messages, by node and outcome (accepted, rejected).",
        "eixm_node_deliveries_total":
            "Deliveries an exercise node received, by node and outcome (acted_on, duplicate_suppressed, bad_signature).",
        // The load generator.
        "eixm_load_messages_sent_total": "Messages the load generator sent.",
        "eixm_load_answers_total": "The router's answers to the load generator, by outcome (accepted, rejected).",
        "eixm_load_deliveries_total": "First deliveries the load generator's nodes received.",
        "eixm_load_answer_latency_seconds": "Time from when a load message was meant to be sent to its ACK or NACK.",
        "eixm_load_delivery_latency_seconds": "Time from when a load message was meant to be sent to its delivery.",
    ]
}
