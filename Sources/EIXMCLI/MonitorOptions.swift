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

    /// Starts the endpoint when `--http` was given (bootstrapping the process's metrics first, so that every metric
    /// made after it is exported); returns once it listens, or throws a sentence saying why it cannot. Cancel the
    /// returned task to stop it.
    func start(
        _ command: String,
        readiness: RunReadiness,
        page: (@Sendable () async -> String)? = nil
    ) async throws -> Task<Void, Never>? {
        guard let http else { return nil }
        let registry = MetricsBootstrap.registry()
        let server = MonitorServer(
            host: http.host,
            port: http.port,
            sources: MonitorServer.Sources(
                metrics: { registry.emitToBuffer() },
                unready: { readiness.missing },
                page: page
            ),
            logger: Logger(label: "eixm.http")
        )
        // The first event says whether it listens (its port) or could not start (why).
        let (events, continuation) = AsyncStream<Result<Int, any Error>>.makeStream()
        let task = Task {
            do {
                try await server.run { continuation.yield(.success($0)) }
            } catch {
                continuation.yield(.failure(error))
            }
            continuation.finish()
        }
        var iterator = events.makeAsyncIterator()
        switch await iterator.next() {
        case .success(let port)?:
            FileHandle.standardError.write(Data("\(command): HTTP endpoint on http://\(http.host):\(port)/\n".utf8))
            if let httpPortFile { try "\(port)\n".write(toFile: httpPortFile, atomically: true, encoding: .utf8) }
            return task
        case .failure(let error)?:
            throw CommandError("\(command): the HTTP endpoint \(error)")
        case nil:
            throw CommandError("\(command): the HTTP endpoint on \(http.host):\(http.port) stopped before it listened")
        }
    }
}
