import Crypto
import EIXMAudit
import EIXMModel
import EIXMTestKit
import Foundation
import Testing

@Suite("The file audit log")
struct AuditLogTests {
    static let key = Curve25519.Signing.PrivateKey()
    static let signer = AuditSigner(signer: "EIXM-ROUTER", key: key)

    static func events(_ count: Int, start: Int = 0) -> [AuditEvent] {
        (start..<start + count).map { index in
            var event = AuditEvent(
                kind: index % 3 == 0 ? .received : (index % 3 == 1 ? .accepted : .delivered),
                realTime: SampleMessages.createdAt.adding(seconds: Int64(index)),
                simulatedTime: SampleMessages.createdAt.adding(seconds: Int64(index) * 3600)
            )
            event.messageID = SampleMessages.id(UInt8(index % 200))
            event.caseID = "CASE-\(index % 7)"
            event.inReplyTo = index % 2 == 0 ? nil : SampleMessages.id(UInt8((index + 1) % 200))
            event.sender = .spoc(.be)
            event.recipients = [.spoc(.fr)]
            event.channel = .siena
            event.messageType = .request
            event.rules = index % 10 == 0 ? ["CH-01"] : []
            event.reasons = ["a \"quoted\" reason\nwith a newline"]
            return event
        }
    }

    /// Writes a log of `count` events (checkpoint every `checkpointEvery`) and returns its folder's segment texts.
    /// A log of `count` events appended as one batch, stored (and so sealed by a checkpoint) before the close: opened
    /// and its seal, the events with a checkpoint after every `checkpointEvery` of them and one sealing the batch,
    /// then the final checkpoint.
    static func writeLog(
        _ folder: URL,
        count: Int = 50,
        configuration: AuditLogConfiguration = AuditLogConfiguration(checkpointEvery: 20, checkpointSeconds: 3600)
    ) async throws {
        let log = try FileAuditLog(directory: folder, signer: signer, configuration: configuration)
        log.append(events(count))
        await stored(log)
        try await log.close()
    }

    static let noTimedCheckpoints = AuditLogConfiguration(checkpointEvery: 20, checkpointSeconds: 3600)

    /// Returns once everything appended to `log` so far is stored (and so sealed).
    static func stored(_ log: FileAuditLog) async {
        await withCheckedContinuation { continuation in log.whenStored { _ in continuation.resume() } }
    }

    /// How many records ``writeLog(_:count:configuration:)`` writes with a checkpoint every 20: opened and its seal,
    /// the events, a checkpoint after each twenty, the batch's seal unless one just fell, the final checkpoint.
    static func recordCount(events count: Int) -> Int { 2 + count + count / 20 + (count % 20 == 0 ? 0 : 1) + 1 }

    static func lines(_ folder: URL, segment: String = "audit-000001.jsonl") throws -> [String] {
        try String(contentsOf: folder.appendingPathComponent(segment), encoding: .utf8).split(separator: "\n").map(
            String.init
        )
    }

    static func write(_ lines: [String], to folder: URL, segment: String = "audit-000001.jsonl") throws {
        try (lines.joined(separator: "\n") + "\n").write(
            to: folder.appendingPathComponent(segment),
            atomically: true,
            encoding: .utf8
        )
    }

    @Test(
        "halted as by a crash: no final checkpoint, nothing appended afterwards written or confirmed; reopened, the chain goes on and verifies"
    )
    func halt() async throws {
        try await TemporaryDirectory.with { folder in
            // No tree head published by time: a slow machine must not change what the test sees.
            let log = try FileAuditLog(directory: folder, signer: Self.signer, configuration: Self.noTimedCheckpoints)
            log.append(Self.events(30))
            let stored = await withCheckedContinuation { continuation in
                log.whenStored { continuation.resume(returning: $0) }
            }
            #expect(stored == .stored)
            log.halt()
            let before = try Self.lines(folder)
            // opened and its seal, 30 events, a checkpoint after 20 and one sealing the batch (stored means sealed); no
            // final checkpoint as close() writes.
            #expect(before.count == 34)
            #expect(before.last?.contains("\"event\":\"checkpoint\"") == true)
            #expect(before.last?.contains("\"final\":false") == true)
            log.append(Self.events(5, start: 30))
            let late = await withCheckedContinuation { continuation in
                log.whenStored { continuation.resume(returning: $0) }
            }
            #expect(late != .stored)
            #expect(try Self.lines(folder) == before)
            try await Self.writeLog(folder, count: 5)
            let verification = try AuditVerifier.verify(directory: folder, trustedKey: Self.key.publicKey)
            #expect(verification.problem == nil, "\(verification)")
            // Reopened after the halt: opened, recovered (the log was not closed), their seal, five events, the batch's
            // seal, the closing checkpoint.
            #expect(verification.records == 34 + 3 + 5 + 2)
            #expect(verification.notes.count == 1, "\(verification)")
        }
    }

    @Test(
        "events nobody has asked about wait for the question: appended in twenty calls, then asked about once, they are written with one checkpoint"
    )
    func oneCommitPerQuestion() async throws {
        try await TemporaryDirectory.with { folder in
            let configuration = AuditLogConfiguration(
                checkpointEvery: 10_000,
                checkpointSeconds: 3600,
                lingerMilliseconds: 600_000
            )
            let log = try FileAuditLog(directory: folder, signer: Self.signer, configuration: configuration)
            let events = Self.events(20)
            log.append([events[0]])
            // Nothing is written while nobody asks: watched for a while (a writer that wrote at once would have).
            let watch = ContinuousClock.now + .milliseconds(300)
            while log.recordCount == 2, ContinuousClock.now < watch { try await Task.sleep(for: .milliseconds(2)) }
            #expect(log.recordCount == 2)
            for event in events.dropFirst() { log.append([event]) }
            await Self.stored(log)
            let lines = try Self.lines(folder)
            // Opened and its seal, the twenty events, one checkpoint sealing them all.
            #expect(lines.count == 23)
            #expect(lines.filter { $0.contains("\"event\":\"checkpoint\"") }.count == 2)
            try await log.close()
        }
    }

    @Test("events nobody asks about are written all the same once the linger has passed, with no question or close")
    func lingerEnds() async throws {
        try await TemporaryDirectory.with { folder in
            let configuration = AuditLogConfiguration(checkpointSeconds: 3600, lingerMilliseconds: 1)
            let log = try FileAuditLog(directory: folder, signer: Self.signer, configuration: configuration)
            log.append(Self.events(5))
            // Nothing to await: the end of the linger alone writes them. Polled, with a generous bound.
            let deadline = ContinuousClock.now + .seconds(30)
            while log.recordCount < 8, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(2)) }
            log.halt()
            // Opened and its seal, the five events and their seal, on disk though nobody asked.
            let lines = try Self.lines(folder)
            #expect(lines.count == 8)
            #expect(lines.last?.contains("\"event\":\"checkpoint\"") == true)
        }
    }

    @Test(
        "a record is written exactly as the format says: every field in order, escaped, the chain's hash over the line up to its prev"
    )
    func exactLine() async throws {
        try await TemporaryDirectory.with { folder in
            var event = AuditEvent(
                kind: .acknowledged,
                realTime: Timestamp(millisecondsSinceEpoch: 1_795_939_200_007),
                simulatedTime: Timestamp(millisecondsSinceEpoch: -1)
            )
            event.messageID = SampleMessages.id(0xAB)
            event.caseID = "CASE \"7\"\t"
            event.inReplyTo = SampleMessages.id(1)
            event.sender = .spoc(.be)
            event.recipients = [.spoc(.fr), .spoc(.de)]
            event.channel = .siena
            event.messageType = .request
            event.handlingCodes = HandlingCodes([.h0])
            event.containsPersonalData = true
            event.rules = ["EU-02", "DL-03"]
            event.reasons = ["a\\b"]
            event.headerDigest = String(repeating: "ab", count: 32)
            event.bodyDigest = String(repeating: "cd", count: 32)
            event.receipt = DeliveryReceipt(
                content: try DeliveryReceipt.Content(
                    message: SampleMessages.id(0xAB),
                    headerDigest: Array(repeating: 0xAB, count: 32),
                    bodyDigest: Array(repeating: 0xCD, count: 32),
                    receivedAt: Timestamp(millisecondsSinceEpoch: 86_400_000 * 365)
                ),
                signature: .ed25519([0x01, 0xFE])
            )
            event.node = .spoc(.fr)
            let log = try FileAuditLog(directory: folder, signer: Self.signer, configuration: Self.noTimedCheckpoints)
            log.append([event])
            await Self.stored(log)
            try await log.close()
            let lines = try Self.lines(folder)
            // Record 0 opens the log, record 1 seals it; the event is record 2.
            let prev = try #require(lines[1].split(separator: "\"").dropLast().last.map(String.init))
            let content =
                #"{"seq":2,"real_time":"2026-11-29T08:00:00.007Z","simulated_time":"1969-12-31T23:59:59.999Z","event":"acknowledged","#
                + #""message_id":"8a1f3c52-0b7d-4e61-9a20-1122334455ab","case_id":"CASE \"7\"\t","#
                + #""in_reply_to":"8a1f3c52-0b7d-4e61-9a20-112233445501","sender":"SPOC-BE","#
                + #""recipients":["SPOC-FR","SPOC-DE"],"channel":"SIENA","msg_type":"REQUEST","handling_codes":["H0"],"#
                + #""contains_personal_data":true,"rules":["EU-02","DL-03"],"reasons":["a\\b"],"#
                + #""header_sha256":"\#(String(repeating: "ab", count: 32))","#
                + #""body_sha256":"\#(String(repeating: "cd", count: 32))","#
                + #""received_at":"1971-01-01T00:00:00.000Z","receipt_scheme":"ed25519","receipt_signature":"01fe","#
                + #""node":"SPOC-FR","prev":"\#(prev)""#
            let hash = SHA256.hash(data: Array(content.utf8)).map { String(format: "%02x", $0) }.joined()
            #expect(lines[2] == content + #","hash":"\#(hash)"}"#)
        }
    }

    @Test("a written log verifies: every link, every checkpoint, sealed at close")
    func verifies() async throws {
        try await TemporaryDirectory.with { folder in
            try await Self.writeLog(folder)
            let result = try AuditVerifier.verify(directory: folder, trustedKey: Self.signer.publicKey)
            #expect(result.isValid, "\(result)")
            #expect(result.records == 50 + 1 + result.checkpoints)
            #expect(result.checkpoints >= 3)
            let lines = try Self.lines(folder)
            #expect(
                lines.allSatisfy { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) != nil },
                "every line is JSON"
            )
        }
    }

    @Test(
        "a checkpoint seals the opening and every write batch, one comes every checkpointEvery records within a batch, and the close writes the final one"
    )
    func checkpointSpacing() async throws {
        try await TemporaryDirectory.with { folder in
            try await Self.writeLog(folder)
            // Record 0 opens the log, 1 seals it; twenty events, a checkpoint; twenty more, a checkpoint; the last ten
            // and the batch's seal; the final checkpoint.
            let checkpoints = try AuditReader.read(directory: folder).records.filter { $0.event == "checkpoint" }.map(
                \.seq
            )
            #expect(checkpoints == [1, 22, 43, 54, 55])
        }
    }

    @Test(
        "a changed byte in any field of a record is found and named",
        arguments: ["\"CASE-", "SPOC-FR", "\"received\"", "\"prev\":\"", "\"hash\":\"", "\"seq\":1"]
    )
    func changedByte(marker: String) async throws {
        try await TemporaryDirectory.with { folder in
            try await Self.writeLog(folder)
            var lines = try Self.lines(folder)
            let index = lines.indices.first { $0 >= 10 && lines[$0].contains(marker) } ?? 10
            var bytes = Array(lines[index].utf8)
            let at =
                (lines[index].range(of: marker).map {
                    lines[index].utf8.distance(
                        from: lines[index].utf8.startIndex,
                        to: $0.upperBound.samePosition(in: lines[index].utf8)!
                    )
                } ?? 30)
            bytes[min(at, bytes.count - 3)] ^= 0x01
            lines[index] = String(decoding: bytes, as: UTF8.self)
            try Self.write(lines, to: folder)
            let result = try AuditVerifier.verify(directory: folder)
            let problem = try #require(result.problem)
            #expect(problem.line == index + 1, "\(problem)")
            #expect(problem.segment == "audit-000001.jsonl")
        }
    }

    @Test("a deleted record, two records swapped, and a truncated last line are found")
    func structural() async throws {
        try await TemporaryDirectory.with { folder in
            try await Self.writeLog(folder)
            let original = try Self.lines(folder)
            var deleted = original
            deleted.remove(at: 10)
            try Self.write(deleted, to: folder)
            let gap = try #require(try AuditVerifier.verify(directory: folder).problem)
            #expect(gap.kind == .gap)
            #expect(gap.line == 11)

            var swapped = original
            swapped.swapAt(10, 11)
            try Self.write(swapped, to: folder)
            #expect(try AuditVerifier.verify(directory: folder).problem?.kind == .reordering)

            try (original.joined(separator: "\n") + "\n" + String(original[5].prefix(40))).write(
                to: folder.appendingPathComponent("audit-000001.jsonl"),
                atomically: true,
                encoding: .utf8
            )
            let truncated = try #require(try AuditVerifier.verify(directory: folder).problem)
            #expect(truncated.kind == .truncation)
            #expect(truncated.line == original.count + 1)
        }
    }

    @Test("a record appended without the key is not sealed; a checkpoint signed by another key is refused")
    func forgery() async throws {
        try await TemporaryDirectory.with { folder in
            try await Self.writeLog(folder)
            let original = try Self.lines(folder)
            // A writer with another key refuses to continue the log (it verifies it with its own key first).
            #expect(throws: AuditError.self) {
                try FileAuditLog(
                    directory: folder,
                    signer: AuditSigner(signer: "EIXM-ROUTER", key: Curve25519.Signing.PrivateKey())
                )
            }
            #expect(try Self.lines(folder) == original)
            // Appending by hand, without writing a checkpoint at all.
            try Self.write(original, to: folder)
            let last = original.last!
            let prev = String(last.suffix(66).prefix(64))
            let prefix =
                #"{"seq":\#(original.count),"real_time":"2026-11-29T08:00:00.000Z","simulated_time":"2026-11-29T08:00:00.000Z","event":"delivered","node":"SPOC-XX","prev":"\#(prev)""#
            let hash = SHA256.hash(data: Data(prefix.utf8)).map { String(format: "%02x", $0) }.joined()
            try Self.write(original + [prefix + #","hash":"\#(hash)"}"#], to: folder)
            let unsealed = try #require(try AuditVerifier.verify(directory: folder).problem)
            #expect(unsealed.kind == .unsealedTail)
            #expect(unsealed.seq == UInt64(original.count))
            // With --pki, even a whole log signed by another key is refused.
            try FileManager.default.removeItem(at: folder)
            try await Self.writeLog(folder)
            let other = Curve25519.Signing.PrivateKey().publicKey
            #expect(try AuditVerifier.verify(directory: folder, trustedKey: other).problem?.kind == .keyMismatch)
        }
    }

    @Test("a checkpoint whose signature is changed fails verification")
    func badSignature() async throws {
        try await TemporaryDirectory.with { folder in
            try await Self.writeLog(folder)
            var lines = try Self.lines(folder)
            let index = try #require(lines.firstIndex { $0.contains("\"event\":\"checkpoint\"") })
            // Replace the signature with another valid-looking one and fix the record's own hash so only the
            // signature is wrong.
            var line = lines[index]
            let signature = try #require(line.range(of: "\"signature\":\"")).upperBound
            line.replaceSubrange(
                signature..<line.index(signature, offsetBy: 128),
                with: String(repeating: "ab", count: 64)
            )
            let prefix = String(line.dropLast(75))
            let hash = SHA256.hash(data: Data(prefix.utf8)).map { String(format: "%02x", $0) }.joined()
            lines[index] = prefix + #","hash":"\#(hash)"}"#
            try Self.write(lines, to: folder)
            let problem = try #require(try AuditVerifier.verify(directory: folder).problem)
            // The changed hash breaks the next record's link, unless the checkpoint is checked first: it is.
            #expect(problem.kind == .badSignature, "\(problem)")
            #expect(problem.line == index + 1)
        }
    }

    @Test("an empty folder, a missing folder, a segment that is not JSON and a missing segment are reported")
    func badFolders() async throws {
        try await TemporaryDirectory.with { folder in
            #expect(try AuditVerifier.verify(directory: folder).problem?.kind == .emptyLog)
            #expect(throws: AuditError.self) {
                try AuditVerifier.verify(directory: folder.appendingPathComponent("none"))
            }
            try "this is not JSON\n".write(
                to: folder.appendingPathComponent("audit-000001.jsonl"),
                atomically: true,
                encoding: .utf8
            )
            let problem = try #require(try AuditVerifier.verify(directory: folder).problem)
            #expect(problem.kind == .malformed)
            #expect(problem.line == 1)
        }
        try await TemporaryDirectory.with { folder in
            try await Self.writeLog(
                folder,
                count: 200,
                configuration: AuditLogConfiguration(segmentBytes: 8 * 1024, checkpointEvery: 50)
            )
            let segments = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
            #expect(segments.count >= 3)
            #expect(try AuditVerifier.verify(directory: folder).isValid)
            try FileManager.default.removeItem(at: folder.appendingPathComponent("audit-000002.jsonl"))
            #expect(try AuditVerifier.verify(directory: folder).problem?.kind == .missingSegment)
        }
    }

    @Test("a segment whose records were all re-hashed onto another chain fails at its first record, with a broken link")
    func rehashedSegmentBoundary() async throws {
        try await TemporaryDirectory.with { folder in
            try await Self.writeLog(
                folder,
                count: 200,
                configuration: AuditLogConfiguration(segmentBytes: 8 * 1024, checkpointEvery: 50)
            )
            #expect(try AuditVerifier.verify(directory: folder).isValid)
            // Every record of segment 2 keeps its content and a correct hash of itself, and each links to the one
            // before it; only the first one's link into segment 1 is wrong.
            var lines = try Self.lines(folder, segment: "audit-000002.jsonl")
            var prev = String(repeating: "ab", count: 32)
            for index in lines.indices {
                let prefix = String(lines[index].dropLast(75).dropLast(65)) + prev + "\""
                let hash = SHA256.hash(data: Data(prefix.utf8)).map { String(format: "%02x", $0) }.joined()
                lines[index] = prefix + #","hash":"\#(hash)"}"#
                prev = hash
            }
            try Self.write(lines, to: folder, segment: "audit-000002.jsonl")
            let problem = try #require(try AuditVerifier.verify(directory: folder).problem)
            #expect(problem.kind == .brokenLink, "\(problem)")
            #expect(problem.segment == "audit-000002.jsonl")
            #expect(problem.line == 1)
        }
    }

    @Test(
        "a checkpoint signed with the right key over a head that is not the chain's is refused, though every hash and link holds"
    )
    func checkpointOverAnotherHead() async throws {
        try await TemporaryDirectory.with { folder in
            try await Self.writeLog(folder)
            var lines = try Self.lines(folder)
            let index = try #require(
                lines.firstIndex { $0.contains(#""event":"checkpoint""#) && $0.contains(#""tree_size":22"#) }
            )
            // The head of record 10 instead of record 20's, signed anew with the router's own key.
            let otherHead = String(lines[10].suffix(66).prefix(64))
            let root = try #require(lines[index].firstMatch(of: /"root":"([0-9a-f]+)"/)?.1)
            let time = try #require(lines[index].firstMatch(of: /"real_time":"([^"]+)"/)?.1)
            let signature = try Self.key.signature(
                for: AuditTreeHead.signingInput(
                    treeSize: 22,
                    root: Array(Data(hexPairs: String(root))),
                    chainHead: Array(Data(hexPairs: otherHead)),
                    final: false,
                    time: String(time)
                )
            )
            let realHead = String(lines[index].dropLast(75).suffix(65).prefix(64))
            lines[index] = lines[index].replacingOccurrences(
                of: #""head":"\#(realHead)""#,
                with: #""head":"\#(otherHead)""#
            )
            let oldSignature = try #require(lines[index].firstMatch(of: /"signature":"([0-9a-f]+)"/)?.1)
            lines[index] = lines[index].replacingOccurrences(
                of: String(oldSignature),
                with: AuditRecordFormat.hex(signature)
            )
            // Every record from the checkpoint on hashed again, each linked to the one before it.
            lines = Self.rechained(lines, from: index)
            try Self.write(lines, to: folder)
            let problem = try #require(
                try AuditVerifier.verify(directory: folder, trustedKey: Self.signer.publicKey).problem
            )
            #expect(problem.kind == .badSignature, "\(problem)")
            #expect(problem.seq == 22)
        }
    }

    @Test(
        "a torn tail after a crash is cut back on open, reported and recorded; the chain continues",
        arguments: AuditLogConfiguration.FsyncPolicy.allCases
    )
    func tornTail(policy: AuditLogConfiguration.FsyncPolicy) async throws {
        try await TemporaryDirectory.with { folder in
            try await Self.writeLog(folder, configuration: AuditLogConfiguration(fsync: policy, checkpointEvery: 20))
            let segment = folder.appendingPathComponent("audit-000001.jsonl")
            let handle = try FileHandle(forWritingTo: segment)
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(#"{"seq":99,"real_time":"2026-11-29T08:0"#.utf8))
            try handle.close()
            #expect(try AuditVerifier.verify(directory: folder).problem?.kind == .truncation)
            let reopened = try FileAuditLog(directory: folder, signer: Self.signer)
            let recovery = try #require(reopened.recovery)
            #expect(recovery.bytesCut == 38)
            reopened.append(Self.events(5, start: 100))
            try await reopened.close()
            let result = try AuditVerifier.verify(directory: folder, trustedKey: Self.signer.publicKey)
            #expect(result.isValid, "\(result)")
            #expect(try Self.lines(folder).contains { $0.contains("\"event\":\"recovered\"") })
        }
    }
}

extension Data {
    /// The bytes of a text of hexadecimal digit pairs.
    init(hexPairs text: String) {
        var bytes: [UInt8] = []
        var index = text.startIndex
        while let end = text.index(index, offsetBy: 2, limitedBy: text.endIndex), index < end {
            bytes.append(UInt8(text[index..<end], radix: 16) ?? 0)
            index = end
        }
        self.init(bytes)
    }
}

extension AuditLogTests {
    /// The lines from `start` on hashed again, each linked to the one before it (what a forger without the key can do).
    static func rechained(_ lines: [String], from start: Int) -> [String] {
        var lines = lines
        var prev = String(lines[start - 1].suffix(66).prefix(64))
        for position in start..<lines.count {
            let prefix = String(lines[position].dropLast(75).dropLast(65)) + prev + "\""
            prev = SHA256.hash(data: Data(prefix.utf8)).map { String(format: "%02x", $0) }.joined()
            lines[position] = prefix + #","hash":"\#(prev)"}"#
        }
        return lines
    }

    @Test(
        "only the last checkpoint of a log's life has its signature checked, and that is enough: a forged last seal is refused, and a forged earlier one changes the root a later checkpoint signed, and is named"
    )
    func sealsVouchForTheOnesBefore() async throws {
        try await TemporaryDirectory.with { folder in
            let log = try FileAuditLog(directory: folder, signer: Self.signer, configuration: Self.noTimedCheckpoints)
            log.append(Self.events(30))
            await Self.stored(log)
            log.halt()
            let lines = try Self.lines(folder)
            #expect(
                try AuditVerifier.verify(directory: folder, trustedKey: Self.signer.publicKey).problem?.kind
                    == .notClosed
            )
            func forged(_ index: Int) -> [String] {
                var lines = lines
                let signature = String(lines[index].firstMatch(of: /"signature":"([0-9a-f]+)"/)!.1)
                lines[index] = lines[index].replacingOccurrences(of: signature, with: String(signature.reversed()))
                return Self.rechained(lines, from: index)
            }
            // The batch's seal, the last record: its signature is checked at the end of the log.
            try Self.write(forged(lines.count - 1), to: folder)
            let last = try #require(
                try AuditVerifier.verify(directory: folder, trustedKey: Self.signer.publicKey).problem
            )
            #expect(last.kind == .badSignature && last.seq == UInt64(lines.count - 1), "\(last)")
            #expect(last.detail.contains("signature does not verify"))
            // The opening's seal (record 1): the next checkpoint's root no longer matches the records before it, and the
            // verifier, checking the signature it had left for later, names the forged one.
            try Self.write(forged(1), to: folder)
            let first = try #require(
                try AuditVerifier.verify(directory: folder, trustedKey: Self.signer.publicKey).problem
            )
            #expect(first.kind == .badSignature && first.seq == 1, "\(first)")
            #expect(first.detail.contains("signature does not verify"))
            // And recovery refuses both, changing nothing.
            for index in [1, lines.count - 1] {
                try Self.write(forged(index), to: folder)
                #expect(throws: AuditError.self) { try FileAuditLog(directory: folder, signer: Self.signer) }
                #expect(try Self.lines(folder) == forged(index))
            }
        }
    }
}
