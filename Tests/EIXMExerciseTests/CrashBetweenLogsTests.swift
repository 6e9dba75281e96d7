import EIXMAudit
import EIXMCrypto
import EIXMModel
import EIXMRouter
import EIXMRules
import EIXMSpool
import EIXMTestKit
import EIXMTransport
import Foundation
import Logging
import Testing

@testable import EIXMExercise

/// The router stores each commit in its spool and its audit log at once, so that a crash can fall between the two:
/// the spool then holds a message whose acceptance the audit log never got. Found by scripts/chaos.sh in CI: a reply
/// delivered after the restart with no `accepted` record.
@Suite("A crash between the spool and the audit log storing one commit")
struct CrashBetweenLogsTests {
    static let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    static func request(_ index: UInt8) -> Header {
        var header = SampleMessages.request()
        header.id = SampleMessages.id(index)
        header.sender = .spoc(.be)
        header.to = [.spoc(.fr)]
        header.language = .english
        header.copyToEuropol = false
        header.copyToEuropolReason = "not linked to Europol's projects"
        return header
    }

    static func accepted(_ header: Header, pki: ExercisePKI) throws -> SpoolRecord {
        let envelope = try pki.identity(for: header.sender).seal(header, body: Array("a request".utf8))
        return .accepted(
            AcceptedMessage(
                id: header.id,
                receivedAt: header.createdAt,
                deadline: nil,
                targets: [.init(node: .spoc(.fr), copyRule: nil)],
                envelope: envelope.wireBytes()
            )
        )
    }

    /// A router's two logs in a fresh folder, written as up to a kill, then reopened as by the restarted router.
    struct CrashedLogs {
        let pki: ExercisePKI
        let signer: AuditSigner
        let auditFolder: URL
        let spoolFolder: URL

        init(in folder: URL) throws {
            pki = try ExercisePKI.generate(nodes: [.spoc(.be), .spoc(.fr)])
            let identity = try pki.identity(for: .router)
            signer = AuditSigner(signer: identity.nodeID.rawValue, key: identity.privateKey)
            auditFolder = folder.appendingPathComponent("audit")
            spoolFolder = folder.appendingPathComponent("spool")
        }

        /// The audit log stores `events`, then stops as a kill would stop it.
        func auditLog(storedUpToTheCrash events: [AuditEvent]) async throws {
            let audit = try FileAuditLog(directory: auditFolder, signer: signer)
            audit.append(events)
            let stored = await withCheckedContinuation { done in audit.whenStored { done.resume(returning: $0) } }
            #expect(stored == .stored)
            audit.halt()
        }

        /// The spool stores the acceptance of `headers`, then stops as a kill would stop it.
        func spool(storedUpToTheCrash headers: [Header]) async throws {
            let (spool, _) = try Spool.open(directory: spoolFolder)
            spool.append(try headers.map { try CrashBetweenLogsTests.accepted($0, pki: pki) })
            let stored = await withCheckedContinuation { done in spool.whenStored { done.resume(returning: $0) } }
            #expect(stored == .stored)
            spool.halt()
        }

        /// Both logs reopened, and what the restart finds in doubt between them.
        func reopened() throws -> (audit: FileAuditLog, spool: Spool, recovery: Spool.Recovery, inDoubt: CommitInDoubt)
        {
            let audit = try FileAuditLog(directory: auditFolder, signer: signer)
            let (spool, recovery) = try Spool.open(directory: spoolFolder)
            return (audit, spool, recovery, try CommitInDoubt(spool: spool, recovery: recovery, auditLog: audit))
        }

        func router(audit: FileAuditLog, spool: Spool) throws -> Router {
            Router(
                configuration: RouterConfiguration(),
                rules: RulesEngine(configuration: .builtIn()),
                keys: try pki.keyDirectory(),
                clock: ManualClock(),
                audit: audit,
                spool: spool,
                logger: CrashBetweenLogsTests.quiet
            )
        }
    }

    static func event(_ kind: AuditEvent.Kind, _ header: Header, node: NodeID? = nil) -> AuditEvent {
        var event = AuditEvent(kind: kind, realTime: Timestamp(Date()), simulatedTime: header.createdAt)
        event.messageID = header.id
        event.sender = header.sender
        event.node = node
        return event
    }

    @Test(
        "a message the spool stored and the audit log did not is audited as accepted, saying why, when the restarted router restores it; one both stored is not audited again; after a clean close nothing is looked for"
    )
    func spoolAheadOfAuditLog() async throws {
        try await TemporaryDirectory.with { folder in
            let logs = try CrashedLogs(in: folder)
            let both = Self.request(1)
            let spoolOnly = Self.request(2)
            // Delivered long ago: its segment of the spool is deleted. The spool being ahead, it is in no doubt.
            let delivered = Self.request(6)

            // Before the crash: both logs store `both`; the audit log stops (as killed) before it stores `spoolOnly`.
            try await logs.auditLog(storedUpToTheCrash: [Self.event(.accepted, delivered), Self.event(.accepted, both)])
            try await logs.spool(storedUpToTheCrash: [both, spoolOnly])

            // The restart: the audit log says it was not closed; the spool's message it lacks is found.
            let (audit, spool, recovery, inDoubt) = try logs.reopened()
            #expect(audit.recovery != nil, "the audit log did not see the crash")
            #expect(inDoubt.spoolOnly == [spoolOnly.id])
            #expect(inDoubt.auditLogOnly.isEmpty)
            let restored = try await logs.router(audit: audit, spool: spool).recover(recovery, inDoubt: inDoubt)
            #expect(restored.messages == 2)
            #expect(restored.auditedNow == 1)
            #expect(restored.description.contains("1 of them stored in the spool but not yet in the audit log"))
            await spool.close()
            try await audit.close()

            // Read back from the files: one acceptance each, the late one with its reason and the rules that fired.
            let acceptances = try AuditReader.read(directory: logs.auditFolder).records.filter {
                $0.event == "accepted"
            }
            #expect(
                acceptances.compactMap(\.messageID)
                    == [delivered.id, both.id, spoolOnly.id].map { $0.uuidString.lowercased() }
            )
            let late = try #require(acceptances.last)
            #expect(late.reasons?.first?.hasPrefix("restored from the spool after a crash") == true)
            #expect(late.rules?.isEmpty == false)
            #expect(late.sender == "SPOC-BE")

            // Closed cleanly this time: nothing is looked for.
            let closed = try logs.reopened()
            #expect(closed.audit.recovery == nil)
            #expect(closed.inDoubt.isEmpty)
            await closed.spool.close()
            try await closed.audit.close()
        }
    }

    @Test(
        "a message the audit log stored as accepted and delivered and the spool did not is audited as never stored when the router restarts, and its resend is accepted again, not answered as a duplicate; acceptances older than the spool's newest message are left alone"
    )
    func auditLogAheadOfSpool() async throws {
        try await TemporaryDirectory.with { folder in
            let logs = try CrashedLogs(in: folder)
            // `delivered` long ago: its segment of the spool is deleted, as after every delivery is acknowledged.
            let delivered = Self.request(1)
            let both = Self.request(2)
            let auditOnly = Self.request(3)

            // Before the crash: the audit log stores all three, the last one's delivery too; the spool stores `both`
            // and is killed before the last commit (it never gets `auditOnly`).
            try await logs.auditLog(storedUpToTheCrash: [
                Self.event(.accepted, delivered), Self.event(.accepted, both),
                Self.event(.accepted, auditOnly), Self.event(.delivered, auditOnly, node: .spoc(.fr)),
            ])
            try await logs.spool(storedUpToTheCrash: [both])

            let (audit, spool, recovery, inDoubt) = try logs.reopened()
            #expect(inDoubt.spoolOnly.isEmpty)
            #expect(inDoubt.auditLogOnly.map(\.messageID) == [auditOnly.id.uuidString.lowercased()])
            let router = try logs.router(audit: audit, spool: spool)
            let restored = await router.recover(recovery, inDoubt: inDoubt)
            #expect(restored.messages == 1)
            #expect(restored.neverStored == 1)
            #expect(
                restored.description.contains("1 accepted message(s) in the audit log but not yet stored in the spool")
            )

            // Belgium, never answered, sends it again: it is judged again (a remembered ID would be a duplicate).
            let resent = try logs.pki.identity(for: .spoc(.be)).seal(auditOnly, body: Array("a request".utf8))
            let network = InProcessNetwork()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await network.server.serve { await router.serve($0) } }
                try await network.client(as: .spoc(.be)).connect { connection in
                    try await connection.outbound.send([
                        .hello(node: .spoc(.be)), .message(envelope: resent.wireBytes()),
                    ])
                    var frames = connection.inbound.makeAsyncIterator()
                    while let frame = try await frames.next() {
                        guard case .ack(let ack) = frame else { continue }
                        #expect(ack.message == auditOnly.id)
                        break
                    }
                }
                group.cancelAll()
            }
            await router.flushed()
            await spool.close()
            try await audit.close()

            let records = try AuditReader.read(directory: logs.auditFolder).records
            let story = records.filter { $0.messageID == auditOnly.id.uuidString.lowercased() }
                .map(\.event).filter { ["accepted", "storage_failed", "duplicate"].contains($0) }
            #expect(story == ["accepted", "storage_failed", "accepted"])
            let failure = try #require(records.first { $0.event == "storage_failed" })
            #expect(failure.sender == "SPOC-BE")
            #expect(
                failure.reasons?.first?.hasPrefix("not stored before a crash: the audit log had stored its acceptance")
                    == true
            )
            #expect(records.filter { $0.event == "storage_failed" }.count == 1, "an older acceptance was marked too")
        }
    }

    @Test(
        "with no message in the spool, the acceptances after the router's last restart are the ones in doubt, not those before it"
    )
    func emptySpool() async throws {
        try await TemporaryDirectory.with { folder in
            let logs = try CrashedLogs(in: folder)
            let before = Self.request(4)
            let after = Self.request(5)
            var restart = AuditEvent(kind: .restored, realTime: Timestamp(Date()), simulatedTime: before.createdAt)
            restart.reasons = ["0 accepted message(s) restored"]
            try await logs.auditLog(storedUpToTheCrash: [
                Self.event(.accepted, before), restart, Self.event(.accepted, after),
            ])
            let (audit, spool, recovery, inDoubt) = try logs.reopened()
            #expect(recovery.records.isEmpty)
            #expect(inDoubt.auditLogOnly.map(\.messageID) == [after.id.uuidString.lowercased()])
            await spool.close()
            try await audit.close()
        }
    }

    @Test(
        "a second crash before anything new is stored in the spool leaves in doubt only what came after the first restart: what that restart marked is not marked again"
    )
    func secondCrash() async throws {
        try await TemporaryDirectory.with { folder in
            let logs = try CrashedLogs(in: folder)
            let stored = Self.request(7)
            let resent = Self.request(8)
            var restart = AuditEvent(kind: .restored, realTime: Timestamp(Date()), simulatedTime: stored.createdAt)
            restart.reasons = [
                "1 accepted message(s) restored, 1 accepted message(s) in the audit log but not yet stored"
            ]
            var marked = Self.event(.storageFailed, resent)
            marked.reasons = ["not stored before a crash"]
            // The first life stored `stored` in both and `resent` in the audit log only; the restart marked it; its
            // resend was accepted, and the router was killed again before the spool stored it.
            try await logs.auditLog(storedUpToTheCrash: [
                Self.event(.accepted, stored), Self.event(.accepted, resent), restart, marked,
                Self.event(.accepted, resent),
            ])
            try await logs.spool(storedUpToTheCrash: [stored])
            let (audit, spool, _, inDoubt) = try logs.reopened()
            let resend = try AuditReader.read(directory: logs.auditFolder).records.last { $0.event == "accepted" }
            #expect(
                inDoubt.auditLogOnly.map(\.seq) == [try #require(resend).seq],
                "the acceptance before the restart was found again"
            )
            #expect(inDoubt.auditLogOnly.map(\.messageID) == [resent.id.uuidString.lowercased()])
            await spool.close()
            try await audit.close()
        }
    }
}
