import EIXMAudit
import EIXMCrypto
import EIXMModel
import EIXMRouter
import EIXMRules
import EIXMSpool
import EIXMTestKit
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

    @Test(
        "a message the spool stored and the audit log did not is audited as accepted, saying why, when the restarted router restores it; one both stored is not audited again; after a clean close nothing is looked for"
    )
    func spoolAheadOfAuditLog() async throws {
        try await TemporaryDirectory.with { folder in
            let pki = try ExercisePKI.generate(nodes: [.spoc(.be), .spoc(.fr)])
            let identity = try pki.identity(for: .router)
            let signer = AuditSigner(signer: identity.nodeID.rawValue, key: identity.privateKey)
            let auditFolder = folder.appendingPathComponent("audit")
            let spoolFolder = folder.appendingPathComponent("spool")
            let both = Self.request(1)
            let spoolOnly = Self.request(2)

            // Before the crash: both logs store `both`; the audit log stops (as killed) before it stores `spoolOnly`.
            let audit = try FileAuditLog(directory: auditFolder, signer: signer)
            var acceptance = AuditEvent(kind: .accepted, realTime: Timestamp(Date()), simulatedTime: both.createdAt)
            acceptance.messageID = both.id
            audit.append([acceptance])
            let auditStored = await withCheckedContinuation { done in audit.whenStored { done.resume(returning: $0) } }
            #expect(auditStored == .stored)
            audit.halt()
            let (spool, _) = try Spool.open(directory: spoolFolder)
            spool.append([try Self.accepted(both, pki: pki), try Self.accepted(spoolOnly, pki: pki)])
            let spoolStored = await withCheckedContinuation { done in spool.whenStored { done.resume(returning: $0) } }
            #expect(spoolStored == .stored)
            spool.halt()

            // The restart: the audit log says it was not closed; the spool's message it lacks is found.
            let reopened = try FileAuditLog(directory: auditFolder, signer: signer)
            #expect(reopened.recovery != nil, "the audit log did not see the crash")
            let (restartedSpool, recovery) = try Spool.open(directory: spoolFolder)
            let unaudited = try RouterService.unaudited(recovery, audit: reopened)
            #expect(unaudited == [spoolOnly.id])
            let router = Router(
                configuration: RouterConfiguration(),
                rules: RulesEngine(configuration: .builtIn()),
                keys: try pki.keyDirectory(),
                clock: ManualClock(),
                audit: reopened,
                spool: restartedSpool,
                logger: Self.quiet
            )
            let restored = await router.recover(recovery, unaudited: unaudited)
            #expect(restored.messages == 2)
            #expect(restored.auditedNow == 1)
            #expect(restored.description.contains("1 of them stored in the spool but not yet in the audit log"))
            await restartedSpool.close()
            try await reopened.close()

            // Read back from the files: one acceptance each, the late one with its reason and the rules that fired.
            let acceptances = try AuditReader.read(directory: auditFolder).records.filter { $0.event == "accepted" }
            #expect(acceptances.compactMap(\.messageID) == [both.id, spoolOnly.id].map { $0.uuidString.lowercased() })
            let late = try #require(acceptances.last)
            #expect(late.reasons?.first?.hasPrefix("restored from the spool after a crash") == true)
            #expect(late.rules?.isEmpty == false)
            #expect(late.sender == "SPOC-BE")

            // Closed cleanly this time: nothing is looked for.
            let closed = try FileAuditLog(directory: auditFolder, signer: signer)
            let (lastSpool, lastRecovery) = try Spool.open(directory: spoolFolder)
            #expect(closed.recovery == nil)
            #expect(try RouterService.unaudited(lastRecovery, audit: closed).isEmpty)
            await lastSpool.close()
            try await closed.close()
        }
    }
}
