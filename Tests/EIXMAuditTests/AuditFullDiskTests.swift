import EIXMAudit
import EIXMModel
import EIXMTestKit
import Foundation
import Testing

/// The file audit log on a disk that fills up and then has room again, in one life of the log: a tmpfs of 256 KiB
/// mounted for the test (root only), a filler file taking most of it.
@Suite(
    "The audit log on a full disk",
    .timeLimit(.minutes(1)),
    .enabled(if: getuid() == 0, "mounting a small tmpfs needs root")
)
struct AuditFullDiskTests {
    static func stored(_ log: FileAuditLog) async -> StorageOutcome {
        await withCheckedContinuation { continuation in log.whenStored { continuation.resume(returning: $0) } }
    }

    @Test(
        "a batch that could not be written leaves nothing behind: once there is room, the log goes on and verifies, and holds what was stored"
    )
    func fullThenRoom() async throws {
        try await TemporaryDirectory.with { folder in
            let disk = folder.appendingPathComponent("disk")
            try FileManager.default.createDirectory(at: disk, withIntermediateDirectories: true)
            let mounted = try await ChildProcess.run(
                "/usr/bin/mount",
                ["-t", "tmpfs", "-o", "size=256k", "tmpfs", disk.path]
            )
            try #require(mounted.status == 0, "\(mounted.output)")
            do {
                try await Self.fillThenMakeRoom(disk)
            } catch {
                _ = try? await ChildProcess.run("/usr/bin/umount", ["-l", disk.path])
                throw error
            }
            _ = try await ChildProcess.run("/usr/bin/umount", ["-l", disk.path])
        }
    }

    static func fillThenMakeRoom(_ disk: URL) async throws {
        let filler = disk.appendingPathComponent("filler")
        try Data(count: 200 * 1024).write(to: filler)
        let log = try FileAuditLog(directory: disk.appendingPathComponent("audit"), signer: AuditLogTests.signer)
        var batches = 0
        var stored = 0
        // Batches of 20 records until one fails: the disk is full.
        while batches < 100 {
            log.append(AuditLogTests.events(20, start: batches * 20))
            batches += 1
            guard case .stored = await Self.stored(log) else { break }
            stored += 20
        }
        #expect(batches < 100, "the disk never filled")
        #expect(stored > 0)
        try FileManager.default.removeItem(at: filler)
        log.append(AuditLogTests.events(20, start: 5_000))
        #expect(await Self.stored(log) == .stored)
        try? await log.close()
        let result = try AuditVerifier.verify(
            directory: disk.appendingPathComponent("audit"),
            trustedKey: AuditLogTests.signer.publicKey
        )
        #expect(result.isValid, "\(result)")
        let records = try AuditReader.read(directory: disk.appendingPathComponent("audit")).records
        #expect(records.filter { $0.event != "opened" && $0.event != "checkpoint" }.count == stored + 20)
    }
}
