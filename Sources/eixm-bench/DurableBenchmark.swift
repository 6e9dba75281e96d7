import ArgumentParser
import Crypto
import EIXMAudit
import EIXMModel
import EIXMSpool
import Foundation

/// `eixm-bench durable`: what the durable accept path costs. Routed msgs/s at saturation with the audit log and the
/// spool syncing (group commit), and with both writing without fsync, their ratio; then the ACK latency p99 with the
/// durable path at half of its own saturation (open loop), all in one run.
struct DurableBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "durable",
        abstract:
            "Routed msgs/s with the durable accept path vs fsync none (goal ≥ 0.8), and the ACK p99 at half saturation (goal ≤ 5 ms)."
    )

    @Option(help: "Sender/recipient pairs (each a TLS connection per node).")
    var pairs = 8

    @Option(help: "Messages in flight per sender at saturation.")
    var window = 64

    @Option(help: "Seconds to measure each run (after one second of warm-up).")
    var seconds = 5.0

    @Option(help: "Body bytes per message.")
    var body = 1024

    @Option(help: "Folder for the runs' logs (a fresh temporary folder by default; it is deleted).")
    var folder: String?

    func run() async throws {
        let cast = try RouteBenchmark.Cast(pairs: pairs)
        let root =
            folder.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("eixm-durable-\(UUID().uuidString)")
        defer { if folder == nil { try? FileManager.default.removeItem(at: root) } }
        let signer = AuditSigner(signer: "EIXM-ROUTER", key: Curve25519.Signing.PrivateKey())
        func measure(
            _ name: String,
            _ fsync: FsyncPolicy,
            pace: Double? = nil
        ) async throws -> (rate: Double, ack: LatencyRecorder) {
            let (audit, spool) = try RouteBenchmark.logs(
                in: root.appendingPathComponent(name),
                signer: signer,
                fsync: fsync
            )
            let result = try await RouteBenchmark.measure(
                cast,
                router: .here(audit: audit, spool: spool),
                body: body,
                window: window,
                seconds: seconds,
                pace: pace
            )
            await spool.close()
            try await audit.close()
            return (result.rate, result.ackLatency)
        }
        let durable = try await measure("durable", .batch)
        let unsynced = try await measure("unsynced", .none)
        let half = durable.rate / 2
        let paced = try await measure("paced", .batch, pace: half / Double(pairs))
        // The same offered rate without fsync: what of the tail the machine (one process, two cores) makes anyway.
        let pacedUnsynced = try await measure("paced-unsynced", .none, pace: half / Double(pairs))
        print(
            "eixm-bench durable: \(pairs) sender->recipient pairs over mutual TLS on 127.0.0.1, \(body)-byte bodies, \(String(format: "%.0f", seconds)) s per run; audit log and spool in \(root.path)"
        )
        print(
            String(
                format:
                    "  routed, durable accept path (fsync batch)  %8.0f msgs/s   ACK p50 %.2f ms, p99 %.2f ms (closed loop, window %d)",
                durable.rate,
                durable.ack.milliseconds(at: 50),
                durable.ack.milliseconds(at: 99),
                window
            )
        )
        print(
            String(
                format: "  routed, fsync none                         %8.0f msgs/s   ACK p50 %.2f ms, p99 %.2f ms",
                unsynced.rate,
                unsynced.ack.milliseconds(at: 50),
                unsynced.ack.milliseconds(at: 99)
            )
        )
        print(String(format: "  ratio durable / fsync none = %.2f  (goal ≥ 0.8)", durable.rate / max(unsynced.rate, 1)))
        print(
            String(
                format:
                    "  ACK latency at half saturation (%.0f msgs/s offered, open loop, durable): p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms over %d ACKs  (goal p99 ≤ 5 ms)",
                half,
                paced.ack.milliseconds(at: 50),
                paced.ack.milliseconds(at: 99),
                paced.ack.milliseconds(at: 99.9),
                paced.ack.count
            )
        )
        print(
            String(
                format: "  the same offered rate with fsync none: p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms over %d ACKs",
                pacedUnsynced.ack.milliseconds(at: 50),
                pacedUnsynced.ack.milliseconds(at: 99),
                pacedUnsynced.ack.milliseconds(at: 99.9),
                pacedUnsynced.ack.count
            )
        )
        print(String(format: "  routed at half saturation: %.0f msgs/s", paced.rate))
    }
}
