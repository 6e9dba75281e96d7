import EIXMCrypto
import EIXMModel
import EIXMTestKit
import EIXMTransport
import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `eixm router --http`: its /metrics, /healthz and /readyz over real HTTP, with traffic over real mutual TLS.
@Suite("eixm router HTTP endpoint")
struct MonitorEndpointTests {
    static func get(_ port: Int, _ path: String) async throws -> (status: Int, body: String) {
        let (data, response) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    /// The value of one sample line of a Prometheus text exposition (`name{labels} value`); `nil` when absent.
    static func sample(_ exposition: String, _ series: String) -> Double? {
        for line in exposition.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1))
        }
        return nil
    }

    @Test(
        "/metrics counts what was sent, rejected, delivered and acknowledged, as the router's report does; /healthz and /readyz answer 200",
        .timeLimit(.minutes(2))
    )
    func metricsMatchTheTraffic() async throws {
        try await TemporaryDirectory.with { folder in
            let pkiFolder = folder.appendingPathComponent("pki")
            #expect(
                try await CommandRunner.runProcess([
                    "pki", "init", "--out", pkiFolder.path, "--node", "SPOC-BE", "--node", "SPOC-FR",
                ]).status == 0
            )
            let pki = try ExercisePKI.load(from: pkiFolder)
            let portFile = folder.appendingPathComponent("http-port")
            let router = try await RouterCrashTests.RouterProcess.start(
                pki: pkiFolder,
                folder: folder.appendingPathComponent("run"),
                options: ["--http", "127.0.0.1:0", "--http-port-file", portFile.path]
            )
            let http = try #require(
                Int(try String(contentsOf: portFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines))
            )
            #expect(try await Self.get(http, "/healthz") == (200, "ok\n"))
            #expect(try await Self.get(http, "/readyz") == (200, "ready\n"))
            // Belgium sends 15 requests to France that the rules accept and 5 without the Europol decision's reason
            // (EU-02 refuses those); France then receives and acknowledges the 15.
            var answers: [Bool] = []
            try await RouterCrashTests.session(.spoc(.be), pki: pki, port: router.port) { connection, frames, now in
                for number in 0..<20 {
                    var header = RouterCrashTests.request(from: .spoc(.be), to: .spoc(.fr), at: now)
                    if number % 4 == 3 { header.copyToEuropolReason = nil }
                    let sealed = try pki.identity(for: .spoc(.be)).seal(header, body: Array("metrics".utf8))
                    try await connection.outbound.send([.message(envelope: sealed.wireBytes())])
                    let answer = try await RouterCrashTests.answer(to: header.id, &frames)
                    answers.append(answer == .ack(Frame.Acknowledgement(message: header.id, kind: .accepted)))
                }
            }
            #expect(answers.count { $0 } == 15)
            var received = 0
            try await RouterCrashTests.session(.spoc(.fr), pki: pki, port: router.port) { connection, frames, _ in
                while received < 15, let frame = try await frames.next() {
                    guard case .delivery(let delivery) = frame else { continue }
                    received += 1
                    try await connection.outbound.send([
                        .receipt(try pki.identity(for: .spoc(.fr)).receipt(forDelivered: delivery.envelope))
                    ])
                }
                // The router has read the receipts once it answers a heartbeat sent after them.
                try await connection.outbound.send([.heartbeat])
                while let frame = try await frames.next() { if case .heartbeat = frame { break } }
            }
            let (status, metrics) = try await Self.get(http, "/metrics")
            #expect(status == 200)
            #expect(Self.sample(metrics, #"eixm_messages_received_total{channel="SIENA",type="REQUEST"}"#) == 20)
            #expect(Self.sample(metrics, #"eixm_messages_accepted_total{channel="SIENA",type="REQUEST"}"#) == 15)
            #expect(Self.sample(metrics, #"eixm_messages_rejected_total{rule="EU-02"}"#) == 5)
            #expect(Self.sample(metrics, #"eixm_deliveries_total{node="SPOC-FR",copy_rule="none"}"#) == 15)
            #expect(Self.sample(metrics, "eixm_acknowledgements_total") == 15)
            #expect(Self.sample(metrics, #"eixm_queue_depth{node="SPOC-FR"}"#) == 0)
            #expect((Self.sample(metrics, "eixm_route_duration_seconds_count") ?? 0) == 20)
            #expect((Self.sample(metrics, "eixm_audit_fsync_duration_seconds_count") ?? 0) > 0)
            #expect((Self.sample(metrics, "eixm_spool_fsync_duration_seconds_count") ?? 0) > 0)
            // The report written at SIGTERM says the same.
            _ = try await router.stop(SIGTERM)
            let report = try String(
                contentsOf: folder.appendingPathComponent("run/router-report.txt"),
                encoding: .utf8
            )
            #expect(report.contains("20 received, 15 accepted, 5 rejected; 15 deliveries sent"), "\(report)")
        }
    }
}
