import Crypto
import EIXMAudit
import EIXMModel
import EIXMTestKit
import Foundation
import Testing

/// Signed tree heads in the log and in the witness file, what they catch, and recovery that refuses all but a torn
/// tail.
@Suite("Audit tree heads and honest recovery")
struct AuditTreeHeadTests {
    static let signer = AuditLogTests.signer
    static let key = AuditLogTests.key

    /// A log of `count` events with a checkpoint every 20 records and its witness file beside the folder.
    /// As ``AuditLogTests/writeLog(_:count:configuration:)``, with a witness file: opened (0) and its seal (1), 50
    /// events with checkpoints at 22 and 43, the batch's seal at 54, the final checkpoint at 55.
    static func writeLog(_ root: URL, count: Int = 50) async throws -> (audit: URL, witness: URL) {
        let audit = root.appendingPathComponent("audit")
        let witness = root.appendingPathComponent("tree-head.json")
        let log = try FileAuditLog(directory: audit, signer: signer, configuration: configuration(witness))
        log.append(AuditLogTests.events(count))
        await AuditLogTests.stored(log)
        try await log.close()
        return (audit, witness)
    }

    static func configuration(_ witness: URL) -> AuditLogConfiguration {
        AuditLogConfiguration(checkpointEvery: 20, checkpointSeconds: 3600, treeHeadFile: witness)
    }

    static func expectation(_ witness: URL) throws -> AuditVerifier.Expectation {
        let head = try AuditTreeHead.read(from: witness)
        return AuditVerifier.Expectation(treeSize: head.treeSize, root: head.rootBytes)
    }

    /// The Merkle root of lines, computed here from the RFC 9162 definition (recursive split at the largest power
    /// of two below n), not with the tree the writer keeps.
    static func referenceRoot(_ lines: ArraySlice<String>) -> [UInt8] {
        guard lines.count > 1 else {
            return lines.first.map { Array(SHA256.hash(data: [0] + Array($0.utf8))) }
                ?? Array(SHA256.hash(data: [UInt8]()))
        }
        var split = 1
        while split * 2 < lines.count { split *= 2 }
        let left = referenceRoot(lines.prefix(split))
        let right = referenceRoot(lines.dropFirst(split))
        return Array(SHA256.hash(data: [1] + left + right))
    }

    @Test(
        "each checkpoint is a tree head over the records before it, signed; the last is final and in the witness file"
    )
    func treeHeadsInTheLog() async throws {
        try await TemporaryDirectory.with { root in
            let (audit, witness) = try await Self.writeLog(root)
            let lines = try AuditLogTests.lines(audit)
            var checked = 0
            for (index, line) in lines.enumerated() where line.contains(#""event":"checkpoint""#) {
                let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                #expect((object["tree_size"] as? Int) == index)
                let root = try #require(object["root"] as? String)
                #expect(
                    Array(Data(hexPairs: root)) == Self.referenceRoot(lines[..<index]),
                    "checkpoint at line \(index + 1)"
                )
                let final = try #require(object["final"] as? Bool)
                #expect(final == (index == lines.count - 1))
                // The signature, checked from the documented input.
                let head = try #require(object["head"] as? String)
                let time = try #require(object["real_time"] as? String)
                let input =
                    Array("EIXM-AUDIT-TREE-HEAD-V1".utf8) + [0]
                    + withUnsafeBytes(of: UInt64(index).bigEndian, Array.init)
                    + Array(Data(hexPairs: root)) + Array(Data(hexPairs: head)) + [final ? 1 : 0] + Array(time.utf8)
                let signature = Data(hexPairs: try #require(object["signature"] as? String))
                #expect(Self.key.publicKey.isValidSignature(signature, for: input))
                checked += 1
            }
            #expect(checked == 5)
            let head = try AuditTreeHead.read(from: witness)
            #expect(head.treeSize == UInt64(lines.count - 1))
            #expect(head.final)
            #expect(head.rootBytes == Self.referenceRoot(lines.dropLast()))
            #expect(head.isSigned(by: Self.key.publicKey))
            #expect(!head.isSigned(by: Curve25519.Signing.PrivateKey().publicKey))
            let verification = try AuditVerifier.verify(directory: audit, expected: try Self.expectation(witness))
            #expect(verification.isValid, "\(verification)")
        }
    }

    @Test("a checkpoint signed with the router's key over a Merkle root that is not its records' is refused")
    func checkpointOverAnotherRoot() async throws {
        try await TemporaryDirectory.with { root in
            let (audit, _) = try await Self.writeLog(root)
            var lines = try AuditLogTests.lines(audit)
            // Record 22 is the first checkpoint after events (1 seals the opening).
            let index = 22
            let object = try #require(try JSONSerialization.jsonObject(with: Data(lines[index].utf8)) as? [String: Any])
            let oldRoot = try #require(object["root"] as? String)
            let otherRoot = AuditRecordFormat.hex(Self.referenceRoot(lines[..<(index - 1)]))
            let signature = try Self.key.signature(
                for: AuditTreeHead.signingInput(
                    treeSize: UInt64(index),
                    root: Array(Data(hexPairs: otherRoot)),
                    chainHead: Array(Data(hexPairs: try #require(object["head"] as? String))),
                    final: false,
                    time: try #require(object["real_time"] as? String)
                )
            )
            lines[index] = lines[index].replacingOccurrences(of: oldRoot, with: otherRoot)
                .replacingOccurrences(
                    of: try #require(object["signature"] as? String),
                    with: AuditRecordFormat.hex(signature)
                )
            // Every record from the checkpoint on hashed again, each linked to the one before it.
            lines = AuditLogTests.rechained(lines, from: index)
            try AuditLogTests.write(lines, to: audit)
            let problem = try #require(
                try AuditVerifier.verify(directory: audit, trustedKey: Self.key.publicKey).problem
            )
            #expect(problem.kind == .badSignature, "\(problem)")
            #expect(problem.seq == UInt64(index))
            #expect(problem.detail.contains("Merkle root"))
        }
    }

    enum Tamper: String, CaseIterable, Sendable {
        case cutAtPeriodicCheckpoint, wiped, rewrittenWithTheKey, reordered, lastEventRemoved
    }

    @Test(
        "a log cut short, wiped, rewritten or reordered fails against the witness's tree head",
        arguments: Tamper.allCases
    )
    func tamperedAgainstTheWitness(_ tamper: Tamper) async throws {
        try await TemporaryDirectory.with { root in
            let (audit, witness) = try await Self.writeLog(root)
            let lines = try AuditLogTests.lines(audit)
            let expected: AuditVerification.Problem.Kind
            switch tamper {
            case .cutAtPeriodicCheckpoint:
                // Record 22 is the first checkpoint after events: the cut log is a whole chain, every signature good.
                #expect(lines[22].contains(#""event":"checkpoint""#))
                try AuditLogTests.write(Array(lines[...22]), to: audit)
                let alone = try #require(try AuditVerifier.verify(directory: audit).problem)
                #expect(alone.kind == .notClosed)
                #expect(
                    alone.detail.contains("the log ends at record 22 without a closing checkpoint (crashed or cut)")
                )
                expected = .cutShort
            case .wiped:
                try Data().write(to: audit.appendingPathComponent("audit-000001.jsonl"))
                #expect(try AuditVerifier.verify(directory: audit).problem?.kind == .emptyLog)
                expected = .cutShort
            case .rewrittenWithTheKey:
                // Someone with the router's key writes another log of the same length in its place.
                try FileManager.default.removeItem(at: audit)
                let log = try FileAuditLog(
                    directory: audit,
                    signer: Self.signer,
                    configuration: Self.configuration(root.appendingPathComponent("other.json"))
                )
                log.append(AuditLogTests.events(50, start: 7))
                try await log.close()
                #expect(try AuditVerifier.verify(directory: audit).isValid)
                expected = .rewritten
            case .reordered:
                var swapped = lines
                swapped.swapAt(30, 31)
                try AuditLogTests.write(swapped, to: audit)
                expected = .reordering
            case .lastEventRemoved:
                try AuditLogTests.write(Array(lines[..<52]) + [lines[53]], to: audit)
                expected = .gap
            }
            let problem = try #require(
                try AuditVerifier.verify(directory: audit, expected: try Self.expectation(witness)).problem
            )
            #expect(problem.kind == expected, "\(problem)")
            if tamper == .cutAtPeriodicCheckpoint {
                #expect(problem.detail.contains("records 23...54 are missing"), "\(problem)")
            }
        }
    }

    enum Damage: String, CaseIterable, Sendable {
        case middleRecordEdited, lastRecordNotChained, segmentOfRandomBytes, cutDropsWitnessedRecords,
            witnessOfAnotherKey
    }

    @Test(
        "recovery refuses damage that is not a torn tail, names the first bad record, and changes nothing",
        arguments: Damage.allCases
    )
    func recoveryRefuses(_ damage: Damage) async throws {
        try await TemporaryDirectory.with { root in
            let (audit, witness) = try await Self.writeLog(root)
            var lines = try AuditLogTests.lines(audit)
            let segment = audit.appendingPathComponent("audit-000001.jsonl")
            var expected = ""
            switch damage {
            case .middleRecordEdited:
                lines[25] = lines[25].replacingOccurrences(of: "SPOC-FR", with: "SPOC-DE")
                try AuditLogTests.write(Array(lines.dropLast()), to: audit)
                expected = "line 26, seq 25: hash mismatch"
            case .lastRecordNotChained:
                // A last record with a correct hash of itself whose prev is not the record before it.
                let fake =
                    String(lines[lines.count - 1].dropLast(75).dropLast(65)) + String(repeating: "ab", count: 32) + "\""
                let hash = SHA256.hash(data: Data(fake.utf8)).map { String(format: "%02x", $0) }.joined()
                try AuditLogTests.write(Array(lines.dropLast()) + [fake + #","hash":"\#(hash)"}"#], to: audit)
                expected = "broken chain link"
            case .segmentOfRandomBytes:
                var generator = SeededGenerator(seed: 977)
                let random = (0..<20_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
                try Data(random).write(to: segment)
                expected = "line 1"
            case .cutDropsWitnessedRecords:
                // The closing checkpoint and the record before it gone, and a torn half record after them: cutting
                // the torn line would leave fewer records than the witness's tree head covers.
                try (lines[..<51].joined(separator: "\n") + "\n" + String(lines[51].prefix(40))).write(
                    to: segment,
                    atomically: true,
                    encoding: .utf8
                )
                expected = "cut short"
            case .witnessOfAnotherKey:
                let other = try FileAuditLog(
                    directory: root.appendingPathComponent("other"),
                    signer: AuditSigner(signer: "EIXM-ROUTER", key: Curve25519.Signing.PrivateKey()),
                    configuration: Self.configuration(witness)
                )
                try await other.close()
                try AuditLogTests.write(Array(lines.dropLast()), to: audit)
                expected = "not signed by the router's key"
            }
            let before = try Data(contentsOf: segment)
            let witnessBefore = try Data(contentsOf: witness)
            let error = #expect(throws: AuditError.self) {
                try FileAuditLog(directory: audit, signer: Self.signer, configuration: Self.configuration(witness))
            }
            #expect(error.map { "\($0)" }?.contains(expected) == true, "\(String(describing: error))")
            #expect(try Data(contentsOf: segment) == before)
            #expect(try Data(contentsOf: witness) == witnessBefore)
        }
    }

    @Test(
        "after a crash the router's recovery cuts the torn line and every whole record no checkpoint sealed (a batch the crash interrupted, or a tail rewritten with recomputed hashes), records it, and the log verifies against the new witness"
    )
    func recoveryAfterACrash() async throws {
        try await TemporaryDirectory.with { root in
            let audit = root.appendingPathComponent("audit")
            let witness = root.appendingPathComponent("tree-head.json")
            // The router stores a batch of 45 events: opened (0) and its seal (1), 20 events, a checkpoint (22), 20
            // events, a checkpoint (43), 5 events and the batch's seal (49, in the witness too). Then it dies.
            let crashed = try FileAuditLog(
                directory: audit,
                signer: Self.signer,
                configuration: Self.configuration(witness)
            )
            crashed.append(AuditLogTests.events(45))
            await AuditLogTests.stored(crashed)
            crashed.halt()
            let lines = try AuditLogTests.lines(audit)
            #expect(lines.count == 50)
            #expect(lines[49].contains(#""event":"checkpoint""#))
            #expect(try AuditTreeHead.read(from: witness).treeSize == 49)
            // Behind the seal: two whole records, well chained with their hashes computed (as a batch the crash cut
            // before its seal, or someone rewriting the tail without the key would leave), then half a line.
            var prev = String(lines[49].suffix(66).prefix(64))
            var tail: [String] = []
            for (seq, source) in [(50, lines[30]), (51, lines[31])] {
                let body = source.replacing(/^\{"seq":\d+,/, with: #"{"seq":\#(seq),"#)
                let prefix = String(body.dropLast(75).dropLast(65)) + prev + "\""
                prev = SHA256.hash(data: Data(prefix.utf8)).map { String(format: "%02x", $0) }.joined()
                tail.append(prefix + #","hash":"\#(prev)"}"#)
            }
            try AuditLogTests.write(lines + tail, to: audit)
            let handle = try FileHandle(forWritingTo: audit.appendingPathComponent("audit-000001.jsonl"))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(String(lines[30].prefix(100)).utf8))
            try handle.close()
            #expect(try AuditVerifier.verify(directory: audit).problem?.kind == .truncation)
            let log = try FileAuditLog(
                directory: audit,
                signer: Self.signer,
                configuration: Self.configuration(witness)
            )
            let recovery = try #require(log.recovery)
            #expect(recovery.endedAt == 49)
            #expect(recovery.unsealed == 2)
            #expect(recovery.bytesCut == 100 + tail.reduce(0) { $0 + $1.utf8.count + 1 })
            #expect("\(recovery)".contains("2 record(s) no checkpoint sealed (never promised)"), "\(recovery)")
            log.append(AuditLogTests.events(3, start: 60))
            try await log.close()
            let after = try AuditLogTests.lines(audit)
            #expect(after[..<50] == lines[...])
            #expect(after[50].contains(#""event":"opened""#))
            #expect(after[51].contains(#""event":"recovered""#) && after[51].contains(#""unsealed":2"#))
            #expect(!after.contains(tail[0]) && !after.contains(tail[1]))
            let verification = try AuditVerifier.verify(directory: audit, expected: try Self.expectation(witness))
            #expect(verification.isValid, "\(verification)")
            #expect(verification.notes.count == 1)
            #expect(
                verification.notes.first?.contains("every record before it was sealed") == true,
                "\(verification.notes)"
            )
            #expect(try AuditTreeHead.read(from: witness).treeSize == UInt64(after.count - 1))
        }
    }

    @Test("a log reopened after a crash without a recovered record fails verification")
    func unrecordedCrash() async throws {
        try await TemporaryDirectory.with { root in
            let (audit, _) = try await Self.writeLog(root)
            let lines = try AuditLogTests.lines(audit)
            // A second life appended by hand after record 45: opened, then an ordinary record.
            var kept = Array(lines[...45])
            var prev = String(kept[45].suffix(66).prefix(64))
            for (seq, event) in [
                (
                    46,
                    #""event":"opened","signer":"EIXM-ROUTER","public_key":"\#(AuditRecordFormat.hex(Self.key.publicKey.rawRepresentation))""#
                ), (47, #""event":"received""#),
            ] {
                let prefix =
                    #"{"seq":\#(seq),"real_time":"2026-11-29T08:00:00.000Z","simulated_time":"2026-11-29T08:00:00.000Z",\#(event),"prev":"\#(prev)""#
                prev = SHA256.hash(data: Data(prefix.utf8)).map { String(format: "%02x", $0) }.joined()
                kept.append(prefix + #","hash":"\#(prev)"}"#)
            }
            try AuditLogTests.write(kept, to: audit)
            let problem = try #require(try AuditVerifier.verify(directory: audit).problem)
            #expect(problem.kind == .unrecordedCrash, "\(problem)")
            #expect(problem.seq == 47)
        }
    }
}
