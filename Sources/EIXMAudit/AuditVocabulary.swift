import Foundation

/// The distinct values a log holds in the fields people filter on: what to suggest when a filter matches nothing.
public struct AuditVocabulary: Sendable {
    public var nodes: Set<String> = []
    public var channels: Set<String> = []
    public var events: Set<String> = []
    public var rules: Set<String> = []
    public var cases: Set<String> = []

    public init() {}

    public mutating func add(_ record: AuditRecord) {
        nodes.formUnion(record.nodes)
        if let channel = record.channel { channels.insert(channel) }
        events.insert(record.event)
        rules.formUnion(record.rules ?? [])
        if let caseID = record.caseID { cases.insert(caseID) }
    }

    /// For each filter of `query` whose value the log never holds, a sentence saying so and what it does hold.
    public func hints(for query: AuditQuery) -> [String] {
        var hints: [String] = []
        func check(_ value: String?, _ known: Set<String>, _ what: String, _ plural: String) {
            guard let value, !known.contains(value) else { return }
            let near = known.first { $0.caseInsensitiveCompare(value) == .orderedSame }
            let listed = known.sorted().prefix(20).joined(separator: ", ")
            hints.append(
                "no record has \(what) '\(value)'"
                    + (near.map { ": did you mean '\($0)'?" }
                        ?? (known.isEmpty
                            ? "; the log has none"
                            : "; the log's \(plural): \(listed)\(known.count > 20 ? ", ..." : "")"))
            )
        }
        check(query.node, nodes, "node", "nodes")
        check(query.channel, channels, "channel", "channels")
        check(query.event, events, "event", "events")
        check(query.rule, rules, "rule", "rules")
        check(query.caseID, cases, "case", "cases")
        return hints
    }
}
