import EIXMCrypto
import EIXMModel
import EIXMTestKit
import EIXMTransport
import Foundation
import Testing

/// `eixm router` on a disk that fills up: a tmpfs of 1 MiB mounted for the test (root only), later given room again.
@Suite("A full disk", .timeLimit(.minutes(3)), .enabled(if: getuid() == 0, "mounting a small tmpfs needs root"))
struct FullDiskTests {
    static func mount(_ arguments: [String]) async throws {
        let result = try await ChildProcess.run("/usr/bin/mount", arguments)
        try #require(result.status == 0, "mount \(arguments): \(result.output)")
    }

    @Test(
        "on a full disk the router stops acknowledging and says why; everything it acknowledged is delivered once the disk has room, and the audit log verifies"
    )
    func fullDisk() async throws {
        try await TemporaryDirectory.with { folder in
            let disk = folder.appendingPathComponent("disk")
            try FileManager.default.createDirectory(at: disk, withIntermediateDirectories: true)
            try await Self.mount(["-t", "tmpfs", "-o", "size=1m", "tmpfs", disk.path])
            do {
                try await Self.fillAndRecover(folder: folder, disk: disk)
            } catch {
                _ = try? await ChildProcess.run("/usr/bin/umount", ["-l", disk.path])
                throw error
            }
            _ = try await ChildProcess.run("/usr/bin/umount", ["-l", disk.path])
        }
    }

    static func fillAndRecover(folder: URL, disk: URL) async throws {
        let pkiFolder = folder.appendingPathComponent("pki")
        #expect(
            try await CommandRunner.runProcess([
                "pki", "init", "--out", pkiFolder.path, "--node", "SPOC-BE", "--node", "SPOC-FR",
            ]).status == 0
        )
        let pki = try ExercisePKI.load(from: pkiFolder)
        let run = disk.appendingPathComponent("router")
        let first = try await RouterCrashTests.RouterProcess.start(pki: pkiFolder, folder: run)
        var acknowledged: Set<UUID> = []
        var sent = 0
        // Belgium sends 16-KiB requests to France (offline) one at a time, each once the one before is answered,
        // until the router says it cannot store (the heartbeats' echoes let the reader look between frames).
        try await RouterCrashTests.session(.spoc(.be), pki: pki, port: first.port) { connection, frames, now in
            let outbound = connection.outbound
            let heartbeats = RouterCrashTests.heartbeats(on: outbound)
            defer { heartbeats.cancel() }
            let belgium = try pki.identity(for: .spoc(.be))
            while sent < 200, !first.hasSaid("cannot store") {
                let header = RouterCrashTests.request(from: .spoc(.be), to: .spoc(.fr), at: now)
                let body = Array(repeating: UInt8(ascii: "x"), count: 16 * 1024)
                try await outbound.send([.message(envelope: try belgium.seal(header, body: body).wireBytes())])
                sent += 1
                var answered = false
                while !answered, !first.hasSaid("cannot store"), let frame = try await frames.next() {
                    switch frame {
                    case .ack(let ack) where ack.message == header.id:
                        #expect(ack.kind == .accepted)
                        acknowledged.insert(header.id)
                        answered = true
                    case .nack(let refusal) where refusal.message == header.id:
                        Issue.record("refused: \(refusal)")
                        answered = true
                    default: continue
                    }
                }
            }
        }
        #expect(!acknowledged.isEmpty)
        #expect(first.hasSaid("cannot store"), "the disk never filled: \(acknowledged.count) acknowledged")
        let said = try await first.stop(SIGKILL)
        #expect(
            said.contains("cannot store") && said.contains("No space left on device"),
            "the router did not say why: \(said)"
        )

        // Room again: a router on the same folder delivers everything that was acknowledged.
        try await mount(["-o", "remount,size=64m", disk.path])
        let second = try await RouterCrashTests.RouterProcess.start(pki: pkiFolder, folder: run)
        var delivered: Set<UUID> = []
        try await RouterCrashTests.session(.spoc(.fr), pki: pki, port: second.port) { connection, frames, _ in
            while !acknowledged.isSubset(of: delivered), let frame = try await frames.next() {
                guard case .delivery(let delivery) = frame else { continue }
                let id = try Envelope(wireBytes: delivery.envelope).header.id
                delivered.insert(id)
                try await connection.outbound.send([
                    .receipt(try pki.identity(for: .spoc(.fr)).receipt(forDelivered: delivery.envelope))
                ])
            }
        }
        let recovered = try await second.stop(SIGTERM)
        #expect(
            acknowledged.subtracting(delivered).isEmpty,
            "acknowledged and never delivered: \(acknowledged.subtracting(delivered).count) of \(acknowledged.count); the restarted router said: \(recovered)"
        )
        let verified = try await CommandRunner.runProcess([
            "audit", "verify", run.appendingPathComponent("audit").path, "--pki", pkiFolder.path,
        ])
        #expect(verified.status == 0, "\(verified.output)")
    }
}
