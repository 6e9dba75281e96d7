import Foundation

/// Cores used during a measured interval, by who used them: the router's own threads (its actor, the audit writer,
/// the spool writer), the event loops of the router's connections, and the senders and recipients. With the router
/// in a process of its own each figure is that process's; with the router in the senders' and recipients' process,
/// its connections share their event loops and `routerEventLoops` is unknown.
struct CPUShare {
    var total = 0.0
    var routerActor = 0.0
    var auditWriter = 0.0
    var spoolWriter = 0.0
    /// The router process's event loops (TLS, framing, and its connections' tasks: decoding, signature checks).
    var routerEventLoops: Double?
    /// The event loops of this process: with the router elsewhere, the senders' and recipients' alone.
    var eventLoops = 0.0

    /// How long the router's threads waited for a core each time they became runnable, on average, in milliseconds
    /// (actor, audit writer, spool writer, its connections' event loops); nil without the kernel's scheduler
    /// statistics. A message passes each of them at least once before its ACK.
    var routerWaits: (actor: Double, auditWriter: Double, spoolWriter: Double, eventLoops: Double?)?
    /// The same for this process's event loops (with the router elsewhere, the senders' and recipients').
    var eventLoopWait: Double?

    /// The router's own threads together.
    var router: Double { routerActor + auditWriter + spoolWriter }

    /// The whole router process, when it is one.
    var routerProcess: Double? { routerEventLoops.map { router + $0 } }

    init() {}

    /// From samples of this process's threads and, when the router is a process of its own, of that process's.
    init(from start: ThreadCPU, to end: ThreadCPU, router: (start: ThreadCPU, end: ThreadCPU)?, seconds: Double) {
        func cores(_ start: ThreadCPU, _ end: ThreadCPU, _ matches: (String) -> Bool) -> Double {
            end.seconds(since: start, where: matches) / seconds
        }
        let routerStart = router?.start ?? start
        let routerEnd = router?.end ?? end
        routerActor = cores(routerStart, routerEnd) { $0 == "eixm.router" }
        auditWriter = cores(routerStart, routerEnd) { $0 == "eixm.audit" }
        spoolWriter = cores(routerStart, routerEnd) { $0 == "eixm.spool" }
        eventLoops = cores(start, end) { $0.hasPrefix("NIO-") }
        total = cores(start, end) { _ in true }
        if let router {
            routerEventLoops = cores(router.start, router.end) { $0.hasPrefix("NIO-") }
            total += cores(router.start, router.end) { _ in true }
        }
        func wait(_ start: ThreadCPU, _ end: ThreadCPU, _ matches: (String) -> Bool) -> Double? {
            end.waited(since: start, where: matches).map { $0.seconds * 1000 / Double(max($0.runs, 1)) }
        }
        func wait(_ matches: (String) -> Bool) -> Double? { wait(routerStart, routerEnd, matches) }
        eventLoopWait = wait(start, end) { $0.hasPrefix("NIO-") }
        if let actor = wait({ $0 == "eixm.router" }), let audit = wait({ $0 == "eixm.audit" }),
            let spool = wait({ $0 == "eixm.spool" })
        {
            routerWaits = (actor, audit, spool, router == nil ? nil : wait { $0.hasPrefix("NIO-") })
        }
    }

    /// "actor 0.52, audit writer 0.38, spool writer 0.30, its connections' event loops 0.45; the senders' and
    /// recipients' event loops 0.61" (milliseconds waited for a core per run); nil without scheduler statistics.
    var waitDescription: String? {
        guard let routerWaits else { return nil }
        func figure(_ value: Double) -> String { String(format: "%.2f", value) }
        let own =
            "actor \(figure(routerWaits.actor)), audit writer \(figure(routerWaits.auditWriter)), spool writer \(figure(routerWaits.spoolWriter))"
        guard let eventLoops = routerWaits.eventLoops else {
            return own + (eventLoopWait.map { ", event loops \(figure($0))" } ?? "")
        }
        return own + ", its connections' event loops \(figure(eventLoops))"
            + (eventLoopWait.map { "; the senders' and recipients' event loops \(figure($0))" } ?? "")
    }

    /// "the router process 0.95 (actor 0.33, audit writer 0.35, spool writer 0.09, its connections' event loops
    /// 0.18); senders and recipients 0.92", or with the router in this process "the router's own threads 0.76 (...),
    /// event loops 1.11 (...)".
    var description: String {
        func figure(_ value: Double) -> String { String(format: "%.2f", value) }
        let own =
            "actor \(figure(routerActor)), audit writer \(figure(auditWriter)), spool writer \(figure(spoolWriter))"
        guard let routerEventLoops, let routerProcess else {
            return
                "the router's own threads \(figure(router)) (\(own)), event loops \(figure(eventLoops)) (the router's connections, senders and recipients alike)"
        }
        return
            "the router process \(figure(routerProcess)) (\(own), its connections' event loops \(figure(routerEventLoops))); senders and recipients \(figure(total - routerProcess))"
    }
}
