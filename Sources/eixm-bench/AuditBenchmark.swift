import ArgumentParser
import Crypto
@_spi(Benchmark) import EIXMAudit
import EIXMMerkle
import EIXMModel
import EIXMTestKit
import Foundation

/// `eixm-bench audit`: appends per second to the file audit log (group commit with batch fsync) with the Merkle
/// tree kept and, in the same run, without it; verified records per second. With `--keep FOLDER` the log (with the
/// tree) stays there, for `scripts/bench.sh audit` to time the questions on it.
struct AuditBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Audit-log appends/s with and without the Merkle tree (goal ≥ 0.8), verified records/s (goal ≥ 1M)."
    )

    @Option(help: "Events to append.")
    var events = 1_000_000

    @Option(help: "Events per append call (the router appends a message's events together).")
    var batch = 3

    @Option(help: "fsync policy: always, batch or none.")
    var fsync = "batch"

    @Option(help: "Keep the log written with the tree in this folder (default: a temporary folder, removed).")
    var keep: String?

    func run() async throws {
        guard let policy = AuditLogConfiguration.FsyncPolicy(rawValue: fsync) else {
            throw ValidationError("--fsync: always, batch or none")
        }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
            "eixm-bench-audit-\(UUID().uuidString)"
        )
        defer { try? FileManager.default.removeItem(at: scratch) }
        let signer = AuditSigner(signer: "EIXM-ROUTER", key: Curve25519.Signing.PrivateKey())
        let sample = Self.sampleEvents(count: 4096)
        let withoutTree = try write(to: scratch.appendingPathComponent("without"), tree: false, policy, signer, sample)
        try? FileManager.default.removeItem(at: scratch.appendingPathComponent("without"))
        let folder = keep.map { URL(fileURLWithPath: $0) } ?? scratch.appendingPathComponent("with")
        let withTree = try write(to: folder, tree: true, policy, signer, sample)
        let clock = ContinuousClock()
        let verifyStart = clock.now
        let result = try AuditVerifier.verify(directory: folder, trustedKey: signer.publicKey)
        let verifiedIn = clock.now - verifyStart
        let size = (try FileManager.default.contentsOfDirectory(atPath: folder.path)).reduce(0) { total, name in
            total
                + ((try? FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent(name).path)[.size]
                    as? Int) ?? 0)
        }
        print(
            "eixm-bench audit: \(events) events, \(batch) per append, fsync \(policy.rawValue), \(String(format: "%.1f", Double(size) / 1_048_576)) MiB in \(result.segments) segment(s), \(result.checkpoints) checkpoints"
        )
        print(String(format: "  written and synced, no tree   %10.0f /s", withoutTree))
        print(
            String(
                format: "  written and synced, tree kept %10.0f /s   ratio %.2f (goal ≥ 0.8; goal ≥ 200,000/s)",
                withTree,
                withTree / withoutTree
            )
        )
        print(
            String(
                format: "  verified records              %10.0f /s   (goal ≥ 1,000,000)  %@",
                Double(result.records) / Self.seconds(verifiedIn),
                result.isValid ? "valid" : "INVALID: \(result.problem!)"
            )
        )
    }

    /// Appends `events` events to a new log in `folder`; returns events written and synced per second.
    private func write(
        to folder: URL,
        tree: Bool,
        _ policy: AuditLogConfiguration.FsyncPolicy,
        _ signer: AuditSigner,
        _ sample: [AuditEvent]
    ) throws -> Double {
        var configuration = AuditLogConfiguration(fsync: policy)
        configuration.keepsMerkleTree = tree
        let clock = ContinuousClock()
        let log = try FileAuditLog(directory: folder, signer: signer, configuration: configuration)
        let start = clock.now
        var appended = 0
        var id = UUID()
        while appended < events {
            let offset = appended % sample.count
            var slice = Array(sample[offset..<min(offset + batch, sample.count, offset + events - appended)])
            // Each message its own ID, as in a run.
            for index in slice.indices {
                if (appended + index) % 4 == 0 { id = UUID() }
                slice[index].messageID = id
            }
            log.append(slice)
            appended += slice.count
        }
        try log.close()
        return Double(appended) / Self.seconds(clock.now - start)
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// A message's three events share its ID (accepted, with its digests and the rules EU-02, DL-03 and LOG-01;
    /// delivered; acknowledged): one in three events names the rules.
    static func sampleEvents(count: Int) -> [AuditEvent] {
        var id = UUID()
        return (0..<count).map { index in
            if index % 3 == 0 { id = UUID() }
            var event = AuditEvent(
                kind: [.accepted, .delivered, .acknowledged][index % 3],
                realTime: Timestamp(Date()),
                simulatedTime: SampleMessages.createdAt.adding(seconds: Int64(index))
            )
            event.messageID = id
            event.caseID = "SPOC-BE-\(index / 3)"
            event.sender = .spoc(.be)
            event.recipients = [.spoc(.fr)]
            event.channel = .siena
            event.messageType = .request
            event.handlingCodes = HandlingCodes([.h0])
            event.rules = index % 3 == 0 ? ["EU-02", "DL-03", "LOG-01"] : []
            if index % 3 == 0 {
                event.headerDigest = String(repeating: "ab", count: 32)
                event.bodyDigest = String(repeating: "cd", count: 32)
            }
            return event
        }
    }
}
