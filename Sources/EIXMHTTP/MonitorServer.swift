import EIXMModel
import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// The HTTP endpoint an operator points Prometheus, a load balancer's health check or a browser at (`--http`):
///
/// - `GET /metrics`: the process's metrics in the Prometheus text format (version 0.0.4);
/// - `GET /healthz`: 200 while the process serves HTTP at all;
/// - `GET /readyz`: 200 once the run is ready (listening, its audit log and spool open, recovery done), 503 with
///   what is still missing until then;
/// - `GET /` and `GET /events`: the live view (the run's page, and a server-sent event each second carrying the
///   page's new state), when the run has one.
///
/// It is a Service: run it in the command's ServiceGroup; a graceful shutdown stops it (and ends the live view's
/// event streams).
public struct MonitorServer: Service {
    /// What the endpoint serves, from the run that owns it.
    public struct Sources: Sendable {
        /// The metrics in the Prometheus text format.
        public var metrics: @Sendable () -> [UInt8]
        /// What the run still waits for before it is ready; empty when ready.
        public var unready: @Sendable () async -> [String]
        /// The live page; `nil`: the run has none (`/` then answers 404).
        public var page: (@Sendable () async -> String)?

        public init(
            metrics: @escaping @Sendable () -> [UInt8],
            unready: @escaping @Sendable () async -> [String],
            page: (@Sendable () async -> String)? = nil
        ) {
            self.metrics = metrics
            self.unready = unready
            self.page = page
        }
    }

    let host: String
    let port: Int
    let sources: Sources
    let logger: Logger
    /// Receives the port it listens on (port 0 picks a free one).
    let bound: @Sendable (Int) -> Void
    /// Set when the endpoint stops; the event streams end on it.
    private let stopping = Stopping()

    /// Whether the endpoint is stopping, and a signal when it starts to.
    final class Stopping: Sendable {
        let signal = ChangeSignal()
        private let stopped = Locked(false)

        var isStopped: Bool { stopped.withLock { $0 } }

        func stop() {
            stopped.withLock { $0 = true }
            signal.changed()
        }
    }

    public init(
        host: String,
        port: Int,
        sources: Sources,
        logger: Logger,
        bound: @escaping @Sendable (Int) -> Void = { _ in }
    ) {
        self.host = host
        self.port = port
        self.sources = sources
        self.logger = logger
        self.bound = bound
    }

    /// Serves until the task is cancelled or the service group shuts down.
    public func run() async throws {
        do {
            // A graceful shutdown ends the live view's streams first: the server then waits for nothing.
            try await withGracefulShutdownHandler {
                try await application(bound: bound).run()
            } onGracefulShutdown: {
                stopping.stop()
            }
        } catch is SocketAddressError.UnknownHost {
            throw Failure(description: "cannot listen on \(host):\(port): no address is known for host '\(host)'")
        } catch let error as IOError {
            throw Failure(
                description:
                    "cannot listen on \(host):\(port): \(String(cString: strerror(error.errnoCode)).lowercased())"
            )
        }
    }

    /// Why the endpoint could not serve, in a sentence.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    func application(bound: @escaping @Sendable (Int) -> Void) -> some ApplicationProtocol {
        let router = Router()
        let sources = sources
        let stopping = self.stopping
        router.get("/metrics") { _, _ in
            Self.response(
                "text/plain; version=0.0.4; charset=utf-8",
                ResponseBody(byteBuffer: ByteBuffer(bytes: sources.metrics()))
            )
        }
        router.get("/healthz") { _, _ in Self.text(.ok, "ok\n") }
        router.get("/readyz") { _, _ in
            let missing = await sources.unready()
            return missing.isEmpty
                ? Self.text(.ok, "ready\n")
                : Self.text(.serviceUnavailable, "not ready: \(missing.joined(separator: "; "))\n")
        }
        router.get("/") { _, _ in
            guard let page = sources.page else { return Self.text(.notFound, "this run has no live view\n") }
            return Self.response(
                "text/html; charset=utf-8",
                ResponseBody(byteBuffer: ByteBuffer(string: await page())),
                storable: false
            )
        }
        // The live view's events: the page's new state every second while the client listens, each line of it a
        // `data:` line of one server-sent event.
        router.get("/events") { _, _ in
            guard let page = sources.page else { return Self.text(.notFound, "this run has no live view\n") }
            return Self.response(
                "text/event-stream; charset=utf-8",
                ResponseBody { writer in
                    // Ends when the client leaves, the task is cancelled, or the endpoint stops (its service group shuts
                    // down gracefully): a stream that never ended would hold the server's shutdown open for ever.
                    while !Task.isCancelled, !stopping.isStopped {
                        let version = stopping.signal.version
                        let event =
                            await page().split(separator: "\n", omittingEmptySubsequences: false)
                            .map { "data: \($0)\n" }.joined() + "\n"
                        try await writer.write(ByteBuffer(string: event))
                        // The wait between events ends early when the endpoint stops.
                        if await stopping.signal.wait(after: version, until: .now + .seconds(1)) { break }
                    }
                    try await writer.finish(nil)
                },
                storable: false
            )
        }
        return Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "eixm"),
            onServerRunning: { channel in bound(channel.localAddress?.port ?? 0) },
            logger: logger
        )
    }

    private static func text(_ status: HTTPResponse.Status, _ body: String) -> Response {
        response("text/plain; charset=utf-8", ResponseBody(byteBuffer: ByteBuffer(string: body)), status: status)
    }

    /// A response of `type`; not `storable`: caches must not keep it (the live view's page changes each second).
    private static func response(
        _ type: String,
        _ body: ResponseBody,
        status: HTTPResponse.Status = .ok,
        storable: Bool = true
    ) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        if !storable { headers[.cacheControl] = "no-store" }
        return Response(status: status, headers: headers, body: body)
    }
}
