import EIXMHTTP
import EIXMModel
import Foundation
import Glibc
import Logging
import ServiceLifecycle
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

@Suite("HTTP endpoint")
struct MonitorServerTests {
    /// Runs a server with `sources` on a free port of 127.0.0.1 and gives `body` its port.
    static func serving(_ sources: MonitorServer.Sources, _ body: (Int) async throws -> Void) async throws {
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let server = MonitorServer(
            host: "127.0.0.1",
            port: 0,
            sources: sources,
            logger: Logger(label: "test.http", factory: { _ in SwiftLogNoOpLogHandler() }),
            bound: { continuation.yield($0) }
        )
        let task = Task { try await server.run() }
        defer { task.cancel() }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())
        try await body(port)
    }

    static func get(_ port: Int, _ path: String) async throws -> (status: Int, body: String, type: String?) {
        let (data, response) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        let http = response as? HTTPURLResponse
        return (
            http?.statusCode ?? 0, String(decoding: data, as: UTF8.self),
            http?.value(forHTTPHeaderField: "Content-Type")
        )
    }

    @Test("/readyz answers 503 naming what is missing, then 200 once nothing is; /healthz answers 200 throughout")
    func readiness() async throws {
        let missing = Locked(["recovery done", "listening"])
        try await Self.serving(
            MonitorServer.Sources(metrics: { [] }, unready: { missing.withLock { $0 } })
        ) { port in
            let before = try await Self.get(port, "/readyz")
            #expect(before.status == 503)
            #expect(before.body == "not ready: recovery done; listening\n")
            #expect(try await Self.get(port, "/healthz").status == 200)
            missing.withLock { $0 = [] }
            #expect(try await Self.get(port, "/readyz").status == 200)
        }
    }

    @Test(
        "/metrics serves the exposition it is given as Prometheus text; / is 404 without a page and the page with one"
    )
    func metricsAndPage() async throws {
        let exposition = "# TYPE eixm_test_total counter\neixm_test_total 7\n"
        try await Self.serving(
            MonitorServer.Sources(metrics: { Array(exposition.utf8) }, unready: { [] })
        ) { port in
            let metrics = try await Self.get(port, "/metrics")
            #expect(metrics.status == 200)
            #expect(metrics.body == exposition)
            #expect(metrics.type?.hasPrefix("text/plain; version=0.0.4") == true)
            #expect(try await Self.get(port, "/").status == 404)
            #expect(try await Self.get(port, "/nothing-here").status == 404)
        }
        try await Self.serving(
            MonitorServer.Sources(metrics: { [] }, unready: { [] }, page: { "<!doctype html><title>run</title>" })
        ) { port in
            let page = try await Self.get(port, "/")
            #expect(page.status == 200)
            #expect(page.body == "<!doctype html><title>run</title>")
            #expect(page.type?.hasPrefix("text/html") == true)
        }
    }

    /// Opens a TCP connection to 127.0.0.1:`port`, sends `request` and reads until `until` appears in what came back
    /// (or the connection closes); returns what it read. Blocking socket calls, on a thread of their own.
    static func exchange(_ port: Int, _ request: String, until marker: String) async -> String {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
                defer { close(socket) }
                var address = sockaddr_in()
                address.sin_family = sa_family_t(AF_INET)
                address.sin_port = in_port_t(UInt16(port).bigEndian)
                address.sin_addr.s_addr = inet_addr("127.0.0.1")
                let connected = withUnsafePointer(to: &address) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                    }
                }
                guard connected == 0 else { return continuation.resume(returning: "") }
                _ = request.withCString { send(socket, $0, strlen($0), 0) }
                var seen = ""
                var buffer = [UInt8](repeating: 0, count: 4096)
                while !seen.contains(marker) {
                    let count = recv(socket, &buffer, buffer.count, 0)
                    guard count > 0 else { break }
                    seen += String(decoding: buffer[0..<count], as: UTF8.self)
                }
                continuation.resume(returning: seen)
            }
        }
    }

    @Test("/events sends the page as a server-sent event (a data line per line of it), again each second")
    func liveEvents() async throws {
        let version = Locked(0)
        try await Self.serving(
            MonitorServer.Sources(
                metrics: { [] },
                unready: { [] },
                page: {
                    let state = version.withLock { version in
                        version += 1
                        return version
                    }
                    return "<p>state \(state)</p>\n<p>end</p>"
                }
            )
        ) { port in
            let stream = await Self.exchange(
                port,
                "GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
                until: "data: <p>state 2</p>"
            )
            #expect(stream.contains("text/event-stream"))
            #expect(stream.contains("data: <p>state 1</p>\ndata: <p>end</p>\n\n"))
            #expect(stream.contains("data: <p>state 2</p>"))
        }
    }

    enum Stop: String, CaseIterable, Sendable {
        case cancelled
        case gracefulShutdown
    }

    @Test(
        "the endpoint stops, cancelled or by its service group's graceful shutdown, even with a client listening to /events: the stream ends",
        .timeLimit(.minutes(1)),
        arguments: Stop.allCases
    )
    func stopsWithAListener(stop: Stop) async throws {
        // Each time the page is asked for, a client is listening.
        let (asked, asking) = AsyncStream<Void>.makeStream()
        let (ports, bound) = AsyncStream<Int>.makeStream()
        let logger = Logger(label: "test.http", factory: { _ in SwiftLogNoOpLogHandler() })
        let server = MonitorServer(
            host: "127.0.0.1",
            port: 0,
            sources: MonitorServer.Sources(
                metrics: { [] },
                unready: { [] },
                page: {
                    asking.yield()
                    return "<p>live</p>"
                }
            ),
            logger: logger,
            bound: { bound.yield($0) }
        )
        let group = ServiceGroup(configuration: .init(services: [server], logger: logger))
        let running = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())
        let held = Task {
            await Self.exchange(port, "GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", until: "never sent")
        }
        var requests = asked.makeAsyncIterator()
        await requests.next()
        switch stop {
        case .cancelled: running.cancel()
        case .gracefulShutdown: await group.triggerGracefulShutdown()
        }
        _ = try? await running.value
        // The listener's connection was closed by the server: its read ended.
        #expect(await held.value.contains("data: <p>live</p>"))
    }

    @Test("a port already taken gives one sentence naming the address and the reason")
    func portTaken() async throws {
        try await Self.serving(MonitorServer.Sources(metrics: { [] }, unready: { [] })) { port in
            let second = MonitorServer(
                host: "127.0.0.1",
                port: port,
                sources: MonitorServer.Sources(metrics: { [] }, unready: { [] }),
                logger: Logger(label: "test.http", factory: { _ in SwiftLogNoOpLogHandler() })
            )
            let error = await #expect(throws: MonitorServer.Failure.self) { try await second.run() }
            #expect(error?.description == "cannot listen on 127.0.0.1:\(port): address already in use")
        }
    }
}
