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
