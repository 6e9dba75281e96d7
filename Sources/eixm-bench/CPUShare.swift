import Foundation

/// Cores used during a measured interval, by who used them: the router's own threads (its actor, the audit writer,
/// the spool writer) and the event loops, which the router's connections share with the senders and recipients of
/// the same process (TLS both ways, framing, and the tasks that seal, verify and answer).
struct CPUShare {
    var total = 0.0
    var routerActor = 0.0
    var auditWriter = 0.0
    var spoolWriter = 0.0
    var eventLoops = 0.0

    /// The router's own threads together.
    var router: Double { routerActor + auditWriter + spoolWriter }

    init() {}

    init(from start: ThreadCPU, to end: ThreadCPU, seconds: Double) {
        func cores(_ matches: (String) -> Bool) -> Double { end.seconds(since: start, where: matches) / seconds }
        total = cores { _ in true }
        routerActor = cores { $0 == "eixm.router" }
        auditWriter = cores { $0 == "eixm.audit" }
        spoolWriter = cores { $0 == "eixm.spool" }
        eventLoops = cores { $0.hasPrefix("NIO-") }
    }

    /// "the router's own threads 0.76 (actor 0.33, audit writer 0.35, spool writer 0.09), event loops 1.11 (...)".
    var description: String {
        func figure(_ value: Double) -> String { String(format: "%.2f", value) }
        return
            "the router's own threads \(figure(router)) (actor \(figure(routerActor)), audit writer \(figure(auditWriter)), spool writer \(figure(spoolWriter))), event loops \(figure(eventLoops)) (the router's connections, senders and recipients alike)"
    }
}
