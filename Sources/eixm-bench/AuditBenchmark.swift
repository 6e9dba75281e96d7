import ArgumentParser
import Crypto
import EIXMAudit
import EIXMModel
import EIXMTestKit
import Foundation

/// `eixm-bench audit`: appends per second to the file audit log (group commit with batch fsync) and verified
/// records per second.
struct AuditBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Audit-log appends/s (batch fsync; goal ≥ 200k) and verified records/s (goal ≥ 1M)."
    )

    @Option(help: "Events to append.")
    var events = 500_000

    @Option(help: "Events per append call (the router appends a message's events together).")
    var batch = 4

    @Option(help: "fsync policy: always, batch or none.")
    var fsync = "batch"

    @Option(help: "Write the log here and keep it (default: a temporary folder, removed).")
    var folder: String?

    func run() async throws {
        guard let policy = AuditLogConfiguration.FsyncPolicy(rawValue: fsync) else {
            throw ValidationError("--fsync: always, batch or none")
        }
        let keep = self.folder != nil
        let folder =
            self.folder.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("eixm-bench-audit-\(UUID().uuidString)")
        defer { if !keep { try? FileManager.default.removeItem(at: folder) } }
        let signer = AuditSigner(signer: "EIXM-ROUTER", key: Curve25519.Signing.PrivateKey())
        let sample = Self.sampleEvents(count: 1024)
        let clock = ContinuousClock()
        let log = try FileAuditLog(
            directory: folder,
            signer: signer,
            configuration: AuditLogConfiguration(fsync: policy)
        )
        let start = clock.now
        var appended = 0
        while appended < events {
            let offset = appended % sample.count
            let slice = Array(sample[offset..<min(offset + batch, sample.count)])
            log.append(slice)
            appended += slice.count
        }
        let queuedIn = clock.now - start
        try log.close()
        let written = clock.now - start
        let verifyStart = clock.now
        let result = try AuditVerifier.verify(directory: folder, trustedKey: signer.publicKey)
        let verifiedIn = clock.now - verifyStart
        let size = (try FileManager.default.contentsOfDirectory(atPath: folder.path)).reduce(0) { total, name in
            total
                + ((try? FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent(name).path)[.size]
                    as? Int) ?? 0)
        }
        let seconds = { (duration: Duration) in
            Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        }
        print(
            "eixm-bench audit: \(appended) events, \(batch) per append, fsync \(policy.rawValue), \(String(format: "%.1f", Double(size) / 1_048_576)) MiB in \(result.segments) segment(s), \(result.checkpoints) checkpoints"
        )
        print(String(format: "  append (router side, queued)  %10.0f /s", Double(appended) / seconds(queuedIn)))
        print(
            String(
                format: "  written and synced            %10.0f /s   (goal ≥ 200,000)",
                Double(appended) / seconds(written)
            )
        )
        print(
            String(
                format: "  verified records              %10.0f /s   (goal ≥ 1,000,000)  %@",
                Double(result.records) / seconds(verifiedIn),
                result.isValid ? "valid" : "INVALID: \(result.problem!)"
            )
        )
    }

    static func sampleEvents(count: Int) -> [AuditEvent] {
        (0..<count).map { index in
            var event = AuditEvent(
                kind: [.received, .accepted, .delivered, .acknowledged][index % 4],
                realTime: Timestamp(Date()),
                simulatedTime: SampleMessages.createdAt
            )
            event.messageID = UUID()
            event.caseID = "SPOC-BE-\(index)"
            event.sender = .spoc(.be)
            event.recipients = [.spoc(.fr)]
            event.channel = .siena
            event.messageType = .request
            event.handlingCodes = HandlingCodes([.h0])
            event.rules = index % 4 == 1 ? ["EU-02", "DL-03", "LOG-01"] : []
            if index % 4 == 0 {
                event.headerDigest = String(repeating: "ab", count: 32)
                event.bodyDigest = String(repeating: "cd", count: 32)
            }
            return event
        }
    }
}
