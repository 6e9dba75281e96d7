import Crypto
import EIXMAudit
import EIXMModel
import EIXMTestKit
import Foundation
import Testing

@Suite("Audit proofs: inclusion and consistency, checked without the log")
struct AuditProofTests {
    static let key = AuditLogTests.key

    /// A closed log of 120 events (40 messages of three records each) with checkpoints every 20 records.
    static func writeLog(_ root: URL, start: Int = 0) async throws -> URL {
        let audit = root.appendingPathComponent("audit")
        let log = try FileAuditLog(
            directory: audit,
            signer: AuditLogTests.signer,
            configuration: AuditLogConfiguration(checkpointEvery: 20, checkpointSeconds: 3600)
        )
        var events = AuditLogTests.events(120, start: start)
        for index in events.indices { events[index].messageID = SampleMessages.id(UInt8(start + index / 3)) }
        log.append(events)
        await AuditLogTests.stored(log)
        try await log.close()
        return audit
    }

    static func messageIDs(_ audit: URL) throws -> Set<String> {
        Set(try AuditReader.read(directory: audit).records.compactMap(\.messageID))
    }

    @Test("every record of every message has a proof that checks, and names exactly that message's records")
    func everyRecordProves() async throws {
        try await TemporaryDirectory.with { root in
            let audit = try await Self.writeLog(root)
            var prover = try AuditProver(directory: audit, trustedKey: Self.key.publicKey)
            let records = try AuditReader.read(directory: audit).records
            let ids = try Self.messageIDs(audit)
            #expect(ids.count == 40)
            var proven = 0
            for id in ids {
                let proof = try prover.inclusion(messageID: id)
                let expected = records.filter { $0.messageID == id }.map(\.seq)
                #expect(proof.records?.map(\.index) == expected)
                #expect(proof.records?.map(\.record) == records.filter { $0.messageID == id }.map(\.text))
                // Checked from its JSON, as `eixm audit check` reads it.
                let read = try AuditProof.decoded(from: proof.json())
                #expect(throws: Never.self) { try read.check(key: Self.key.publicKey) }
                proven += proof.records?.count ?? 0
            }
            #expect(proven == 120)
        }
    }

    @Test("a consistency proof from every older size checks; from a changed old root it does not")
    func consistencyFromEverySize() async throws {
        try await TemporaryDirectory.with { root in
            let audit = try await Self.writeLog(root)
            var prover = try AuditProver(directory: audit, trustedKey: Self.key.publicKey)
            let size = prover.treeHead.treeSize
            let lines = try AuditLogTests.lines(audit)
            for old in 1...size {
                let proof = try prover.consistency(oldSize: old)
                #expect(
                    proof.oldRoot.map { Array(Data(hexPairs: $0)) }
                        == AuditTreeHeadTests.referenceRoot(lines[..<Int(old)])
                )
                #expect(throws: Never.self) { try proof.check(key: Self.key.publicKey) }
            }
            // A checkpoint's size (opened, its seal, twenty events): the older tree head comes signed with the proof.
            let proof = try prover.consistency(oldSize: 22)
            #expect(proof.oldTreeHead?.treeSize == 22)
            let changed = AuditProof(
                treeHead: proof.treeHead,
                oldSize: 22,
                oldRoot: String(repeating: "ab", count: 32),
                oldTreeHead: nil,
                proof: proof.proof ?? []
            )
            #expect(throws: AuditProof.Failure.self) { try changed.check(key: Self.key.publicKey) }
        }
    }

    enum Forgery: String, CaseIterable, Sendable {
        case anotherTreeHead, changedRecord, wrongIndex, pastTheTreeSize, anotherKey, proofHashChanged
    }

    @Test(
        "a proof against another tree head, of a changed record, at a wrong index or past the tree size fails",
        arguments: Forgery.allCases
    )
    func forgedProofsFail(_ forgery: Forgery) async throws {
        try await TemporaryDirectory.with { root in
            let audit = try await Self.writeLog(root)
            var prover = try AuditProver(directory: audit, trustedKey: Self.key.publicKey)
            let id = try #require(try Self.messageIDs(audit).sorted().first)
            let proof = try prover.inclusion(messageID: id)
            let record = try #require(proof.records?.first)
            var head = proof.treeHead
            var included = record
            var key = Self.key.publicKey
            switch forgery {
            case .anotherTreeHead:
                // The same router's tree head of another log (same key, another root).
                let other = try AuditProver(
                    directory: try await Self.writeLog(root.appendingPathComponent("other"), start: 1),
                    trustedKey: key
                )
                head = other.treeHead
            case .changedRecord:
                included = .init(
                    index: record.index,
                    record: record.record.replacingOccurrences(of: "SPOC-FR", with: "SPOC-DE"),
                    proof: record.proof
                )
            case .wrongIndex:
                let moved = record.record.replacingOccurrences(
                    of: #"{"seq":\#(record.index),"#,
                    with: #"{"seq":\#(record.index + 1),"#
                )
                included = .init(index: record.index + 1, record: moved, proof: record.proof)
            case .pastTheTreeSize:
                let moved = record.record.replacingOccurrences(
                    of: #"{"seq":\#(record.index),"#,
                    with: #"{"seq":\#(head.treeSize),"#
                )
                included = .init(index: head.treeSize, record: moved, proof: record.proof)
            case .anotherKey:
                key = Curve25519.Signing.PrivateKey().publicKey
            case .proofHashChanged:
                var hashes = record.proof
                hashes[hashes.count / 2] = String(repeating: "0", count: 64)
                included = .init(index: record.index, record: record.record, proof: hashes)
            }
            let forged = AuditProof(treeHead: head, messageID: id, records: [included])
            #expect(throws: AuditProof.Failure.self) { try forged.check(key: key) }
        }
    }

    @Test("nothing is proven from a log that does not verify, nor for a message it does not hold")
    func noProofFromABadLog() async throws {
        try await TemporaryDirectory.with { root in
            let audit = try await Self.writeLog(root)
            var prover = try AuditProver(directory: audit, trustedKey: Self.key.publicKey)
            #expect(throws: AuditProver.Failure.self) { try prover.inclusion(messageID: UUID().uuidString) }
            #expect(throws: AuditProver.Failure.self) { try prover.consistency(oldSize: prover.treeHead.treeSize + 1) }
            var lines = try AuditLogTests.lines(audit)
            lines[30] = lines[30].replacingOccurrences(of: "SPOC-FR", with: "SPOC-DE")
            try AuditLogTests.write(lines, to: audit)
            #expect(throws: AuditProver.Failure.self) {
                try AuditProver(directory: audit, trustedKey: Self.key.publicKey)
            }
        }
    }
}
