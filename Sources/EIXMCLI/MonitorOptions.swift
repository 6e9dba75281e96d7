import ArgumentParser
import EIXMHTTP
import EIXMModel
import Foundation
import Logging
import Metrics
import Prometheus

/// `--http HOST:PORT` of `router`, `exercise` and `load`: the HTTP endpoint with the process's metrics, its health
/// and readiness (``MonitorServer``).
struct MonitorOptions: ParsableArguments {
    @Option(
        name: .long,
        help:
            "HOST:PORT for the HTTP endpoint: /metrics (Prometheus text format), /healthz, /readyz and the live view at /; port 0 picks a free port."
    )
    var http: HostPort?

    @Option(name: .long, help: "A file to write the HTTP endpoint's bound port into, once it listens.")
    var httpPortFile: String?

    /// The endpoint when `--http` was given (bootstrapping the process's metrics first, so that every metric made
    /// after it is exported), to run in the command's ServiceGroup; once it listens it says where on standard error
    /// and writes `--http-port-file`.
    func endpoint(
        _ command: String,
        readiness: RunReadiness,
        page: (@Sendable () async -> String)? = nil
    ) -> MonitorServer? {
        guard let http else { return nil }
        let registry = MetricsBootstrap.registry()
        let portFile = httpPortFile
        return MonitorServer(
            host: http.host,
            port: http.port,
            sources: MonitorServer.Sources(
                metrics: { registry.emitToBuffer() },
                unready: { readiness.missing },
                page: page
            ),
            logger: Logger(label: "eixm.http"),
            bound: { port in
                FileHandle.standardError.write(Data("\(command): HTTP endpoint on http://\(http.host):\(port)/\n".utf8))
                if let portFile { try? "\(port)\n".write(toFile: portFile, atomically: true, encoding: .utf8) }
            }
        )
    }
}
