import EIXMHTTP
import EIXMModel
import Foundation
import Logging
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

@Suite("HTTP endpoint")
struct MonitorServerTests {
    /// Runs a server with `sources` on a free port of 127.0.0.1 and gives `body` its port.
    static func serving(_ sources: MonitorServer.Sources, _ body: (Int) async throws -> Void) async throws {
        let server = MonitorServer(
            host: "127.0.0.1",
            port: 0,
            sources: sources,
            logger: Logger(label: "test.http", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let task = Task { try await server.run { continuation.yield($0) } }
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
