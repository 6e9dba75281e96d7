import ArgumentParser
import Crypto
import EIXMAudit
import EIXMCrypto
import EIXMModel
import EIXMRouter
import EIXMSpool
import EIXMTestKit
import Foundation

/// `eixm-bench summary`: the whole story in one run, as a user runs eixm (audit log and durable accept path on, the
/// router and the recipients verifying): the crypto bound, routed msgs/s with a signature per message and with batch
/// signatures, each with the CPU the process used, and the ACK latency at half of batch-mode saturation (and at the
/// same rate with fsync none), then the highest offered rate found whose ACK p99 meets the goal.
/// `scripts/bench.sh summary` adds NATS core and JetStream measured on the same machine in the same run.
struct SummaryBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary",
        abstract:
            "Crypto bound, durable routed msgs/s per message and in batches, p99 at half of batch saturation, and the highest rate found whose p99 meets 5 ms."
    )

    @Option(help: "Sender/recipient pairs (each a TLS connection per node).")
    var pairs = 8

    @Option(help: "Messages in flight per sender at saturation.")
    var window = 128

    @Option(help: "Seconds to measure each run (after one second of warm-up).")
    var seconds = 5.0

    @Option(help: "Body bytes per message.")
    var body = 1024

    @Flag(
        help:
            "Run the router in this process, sharing the event loops with the senders and recipients (by default it runs in a process of its own, so that its CPU is its own)."
    )
    var routerInProcess = false

    @Option(
        help:
            "Give the router process this many cores of its own (the last ones) and the senders and recipients the others during the routed runs, as if they ran on other machines (0: every thread may run on every core). The crypto bound still uses every core."
    )
    var routerCores = 0

    func validate() throws {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        guard routerCores >= 0, routerCores < cores else {
            throw ValidationError(
                "--router-cores must leave the senders and recipients at least one of the \(cores) cores (0 to \(cores - 1)), not \(routerCores)"
            )
        }
        guard routerCores == 0 || !routerInProcess else {
            throw ValidationError("--router-cores needs the router in a process of its own (not --router-in-process)")
        }
    }

    func run() async throws {
        let cast = try RouteBenchmark.Cast(pairs: pairs)
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("eixm-summary-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let signer = AuditSigner(signer: "EIXM-ROUTER", key: Curve25519.Signing.PrivateKey())
        let cores = Double(ProcessInfo.processInfo.activeProcessorCount)
        let routerCPUs = routerCores > 0 ? CPUAffinity.last(routerCores) : []
        // Each run: a fresh audit log and spool, both syncing before the ACK (group commit).
        func measure(
            _ name: String,
            _ signatures: SignatureMode,
            pace: Double? = nil,
            fsync: Bool = true
        ) async throws -> (
            rate: Double, ack: LatencyRecorder, beforeWrite: LatencyRecorder, router: RouterStatistics, cpu: CPUShare,
            stored: StoredBytes
        ) {
            let folder = root.appendingPathComponent(name)
            let policy: FsyncPolicy = fsync ? .batch : .none
            let logs = try routerInProcess ? RouteBenchmark.logs(in: folder, signer: signer, fsync: policy) : nil
            let result = try await RouteBenchmark.measure(
                cast,
                router: logs.map { .here(audit: $0.0, spool: $0.1) }
                    ?? .process(folder: folder, fsync: policy, cpus: routerCPUs),
                body: body,
                window: window,
                seconds: seconds,
                pace: pace,
                signatures: signatures
            )
            if let (audit, spool) = logs {
                await spool.close()
                try await audit.close()
            }
            let stored = StoredBytes(
                audit: Self.bytes(under: folder.appendingPathComponent("audit")),
                spool: Self.bytes(under: folder.appendingPathComponent("spool"))
            )
            return (result.rate, result.ackLatency, result.beforeWrite, result.router, result.cpu, stored)
        }
        let identity = try cast.pki.identity(for: cast.senders[0])
        let sample = try identity.seal(
            RouteBenchmark.header(from: cast.senders[0], to: cast.recipients[0], at: Timestamp(Date()), index: 0),
            body: SampleMessages.body(count: body)
        )
        // The bound on every core; the routed runs leave the router's cores to it (`--router-cores`).
        func cryptoBound() throws -> Double {
            if routerCores > 0 { try CPUAffinity.pin(to: CPUAffinity.all) }
            let bound = RouteBenchmark.cryptoBound(identity: identity, keys: cast.keys, envelope: sample, seconds: 1.5)
            if routerCores > 0 { try CPUAffinity.pin(to: CPUAffinity.allBut(last: routerCores)) }
            return bound
        }
        let boundBefore = try cryptoBound()
        let perMessage = try await measure("per-message", .perMessage)
        // The bound again right after the per-message run: the machine's speed drifts by a third within minutes here,
        // and the ratio compares the run with the bound measured around it, not a minute later.
        let boundAround = try cryptoBound()
        let batch = try await measure("batch", .batch)
        let half = batch.rate / 2
        let paced = try await measure("paced", .batch, pace: half / Double(pairs))
        // The same offered rate without fsync: what of the tail is the disk's.
        let pacedUnsynced = try await measure("paced-unsynced", .batch, pace: half / Double(pairs), fsync: false)
        let knee = try await LatencyKnee.search(
            saturation: batch.rate,
            half: .init(
                rate: half,
                p99: paced.ack.milliseconds(at: 99),
                cores: paced.cpu.total,
                router: paced.cpu.routerProcess
            ),
            goal: Self.ackGoalMilliseconds,
            // Below ten messages a second per sender a run of a few seconds holds too few ACKs for a p99.
            minimum: 10 * Double(pairs)
        ) { rate, step in
            let run = try await measure("knee-\(step)", .batch, pace: rate / Double(pairs))
            return .init(
                rate: rate,
                p99: run.ack.milliseconds(at: 99),
                cores: run.cpu.total,
                router: run.cpu.routerProcess
            )
        }
        let boundAfter = try cryptoBound()
        if routerCores > 0 { try CPUAffinity.pin(to: CPUAffinity.all) }
        let bound = (boundBefore + boundAround) / 2
        let placement =
            routerInProcess
            ? "senders, router and recipients in this one process on \(Int(cores)) cores"
            : routerCores > 0
                ? "the router in a process of its own on core(s) \(Self.list(routerCPUs)) of \(Int(cores)), senders and recipients in this one on the other(s)"
                : "the router in a process of its own, senders and recipients in this one, on \(Int(cores)) cores"
        print(
            "eixm-bench summary: \(pairs) sender->recipient pairs over mutual TLS on 127.0.0.1, \(body)-byte bodies, window \(window), \(String(format: "%.0f", seconds)) s per run; audit log and spool fsync before each ACK (group commit); router and recipients verify; \(placement)"
        )
        print(
            String(
                format:
                    "  crypto bound (2 signatures + 3 verifications per message with its receipt, all cores)  %8.0f msgs/s  (%.0f just before and %.0f just after the per-message run; %.0f after all the runs)",
                bound,
                boundBefore,
                boundAround,
                boundAfter
            )
        )
        print(
            String(
                format:
                    "  routed, per-message signatures, durable   %8.0f msgs/s  = %.2f x the crypto bound (goal ≥ 0.8); CPU %.2f of %.0f cores",
                perMessage.rate,
                perMessage.rate / bound,
                perMessage.cpu.total,
                cores
            )
        )
        print("      cores used: \(perMessage.cpu.description)")
        print(
            String(
                format:
                    "  routed, batch signatures, durable         %8.0f msgs/s  = %.2f x the crypto bound; CPU %.2f of %.0f cores; the router checked %.3f root signatures per message and %.3f per receipt, and hashed %.2f path nodes per message (%.2f remembered)",
                batch.rate,
                batch.rate / bound,
                batch.cpu.total,
                cores,
                Double(batch.router.batchRootVerifications) / Double(max(batch.router.received, 1)),
                Double(batch.router.receiptRootVerifications)
                    / Double(max(batch.router.receiptRootVerifications + batch.router.receiptRootHits, 1)),
                Double(batch.router.pathNodesComputed) / Double(max(batch.router.received, 1)),
                Double(batch.router.pathNodesRemembered) / Double(max(batch.router.received, 1))
            )
        )
        print("      cores used: \(batch.cpu.description)")
        let accepted = Double(max(batch.router.accepted, 1))
        print(
            String(
                format:
                    "      stored per message routed: audit log %.2f KB, spool %.2f KB (the run's files at its end, over the %d messages the router accepted in it, warm-up included)",
                Double(batch.stored.audit) / accepted / 1000,
                Double(batch.stored.spool) / accepted / 1000,
                batch.router.accepted
            )
        )
        if let used = batch.cpu.routerProcess {
            let perMessage = used * 1e6 / max(batch.rate, 1)
            print(
                String(
                    format:
                        "      the router process used %.0f µs of CPU per message: with %.0f cores of its own (the load elsewhere) that is at most %.0f msgs/s",
                    perMessage,
                    cores,
                    cores * 1e6 / max(perMessage, 1)
                )
            )
            // Each of the router's serial threads runs on one core at a time: the busiest caps the router whatever its
            // cores.
            let threads = [
                (name: "its actor", cores: batch.cpu.routerActor),
                (name: "the audit writer", cores: batch.cpu.auditWriter),
                (name: "the spool writer", cores: batch.cpu.spoolWriter),
            ]
            if let busiest = threads.max(by: { $0.cores < $1.cores }) {
                let serialPerMessage = busiest.cores * 1e6 / max(batch.rate, 1)
                print(
                    "      and its busiest serial thread, \(busiest.name), at "
                        + String(
                            format: "%.1f µs per message, caps it at %.0f msgs/s whatever its cores",
                            serialPerMessage,
                            1e6 / max(serialPerMessage, 0.001)
                        )
                )
            }
            if routerCores > 0 {
                print(
                    String(
                        format:
                            "      (this run gave it %d of its own, and it used %.2f of them: at that cost they would route at most %.0f msgs/s)",
                        routerCores,
                        used,
                        Double(routerCores) * 1e6 / max(perMessage, 1)
                    )
                )
            }
        }
        print(
            String(
                format:
                    "  batch / per-message = %.2f; ACK at half of batch saturation (%.0f msgs/s offered, open loop): p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms over %d ACKs (goal p99 ≤ %g ms)",
                batch.rate / max(perMessage.rate, 1),
                half,
                paced.ack.milliseconds(at: 50),
                paced.ack.milliseconds(at: 99),
                paced.ack.milliseconds(at: 99.9),
                paced.ack.count,
                Self.ackGoalMilliseconds
            )
        )
        // Where an ACK's time goes: before the message is written (a node signs its next batch once the router has
        // answered the last), then the router (its own figures), the rest being the connections both ways.
        print(
            String(
                format:
                    "      before the write (waiting for the last batch's answers, then signing): p50 %.2f ms, p99 %.2f ms",
                paced.beforeWrite.milliseconds(at: 50),
                paced.beforeWrite.milliseconds(at: 99)
            )
        )
        let decisions = paced.router.latencyMicroseconds
        let commits = paced.router.commitMicroseconds
        print(
            String(
                format:
                    "      inside the router: frame read to decision p50 %.2f ms, p99 %.2f ms; each commit (audit log and spool stored, one at a time: an answer waits for the one under way, then its own) p50 %.2f ms, p99 %.2f ms",
                (decisions["p50"] ?? 0) / 1000,
                (decisions["p99"] ?? 0) / 1000,
                (commits["p50"] ?? 0) / 1000,
                (commits["p99"] ?? 0) / 1000
            )
        )
        // Batch signatures cost less per message the fuller the batches: at half the saturated rate they are smaller,
        // so the CPU is far more than half used, and the tail is the queues of a nearly busy machine.
        func messagesPerRoot(_ statistics: RouterStatistics) -> Double {
            Double(statistics.received) / Double(max(statistics.batchRootVerifications, 1))
        }
        func microsecondsPerMessage(_ rate: Double, _ cpu: CPUShare) -> Double { cpu.total * 1e6 / max(rate, 1) }
        print(
            String(
                format:
                    "      at that rate: CPU %.2f of %.0f cores (%.2f at saturation)%@; one root signature per %.1f messages (%.1f at saturation), so %.0f µs of CPU per message (%.0f at saturation)",
                paced.cpu.total,
                cores,
                batch.cpu.total,
                paced.cpu.routerProcess.map { String(format: ", the router process %.2f", $0) } ?? "",
                messagesPerRoot(paced.router),
                messagesPerRoot(batch.router),
                microsecondsPerMessage(paced.rate, paced.cpu),
                microsecondsPerMessage(batch.rate, batch.cpu)
            )
        )
        // On a busy machine each thread a message passes makes it wait for a core: how long, per run.
        if let atHalf = paced.cpu.waitDescription, let atSaturation = batch.cpu.waitDescription {
            print("      waited for a core each time runnable (ms, mean): at that rate \(atHalf)")
            print("        (at saturation \(atSaturation))")
        }
        print(
            String(
                format:
                    "      the same rate with fsync none (the disk's share of the tail): p50 %.2f ms, p99 %.2f ms; CPU %.2f cores, one root signature per %.1f messages",
                pacedUnsynced.ack.milliseconds(at: 50),
                pacedUnsynced.ack.milliseconds(at: 99),
                pacedUnsynced.cpu.total,
                messagesPerRoot(pacedUnsynced.router)
            )
        )
        print("  \(knee.description)")
        // For scripts/bench.sh, which compares with NATS measured in the same run.
        print(
            String(
                format: "  summary-figures per_message=%.0f batch=%.0f bound=%.0f",
                perMessage.rate,
                batch.rate,
                bound
            )
        )
    }

    /// The goal for the ACK's p99, open loop, at half of batch-mode saturation.
    static let ackGoalMilliseconds = 5.0

    /// Cores as a list for people: "0, 1".
    static func list(_ cores: [Int]) -> String { cores.map(String.init).joined(separator: ", ") }

    /// What a run left in its audit log and spool, in bytes.
    struct StoredBytes {
        let audit: Int
        let spool: Int
    }

    /// The bytes of the regular files under `folder`.
    static func bytes(under folder: URL) -> Int {
        let keys: Set<URLResourceKey> = [.fileSizeKey, .isRegularFileKey]
        guard let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: Array(keys)) else {
            return 0
        }
        var total = 0
        for case let file as URL in files {
            guard let values = try? file.resourceValues(forKeys: keys), values.isRegularFile == true else { continue }
            total += values.fileSize ?? 0
        }
        return total
    }
}
