import EIXMModel
import EIXMTestKit
import Foundation
import Testing

@testable import EIXMSpool

@Suite("The spool")
struct SpoolTests {
    static func accepted(_ index: UInt8, targets: [NodeID] = [.spoc(.fr)], envelope: Int = 300) -> SpoolRecord {
        .accepted(
            AcceptedMessage(
                id: SampleMessages.id(index),
                receivedAt: SampleMessages.createdAt.adding(seconds: Int64(index)),
                deadline: index % 2 == 0 ? SampleMessages.createdAt.adding(seconds: 8 * 3600) : nil,
                targets: targets.enumerated().map { .init(node: $1, copyRule: $0 == 1 ? "EU-02" : nil) },
                envelope: Array(repeating: index, count: envelope)
            )
        )
    }

    /// Appends and waits until the writer says the records are stored.
    static func store(_ spool: Spool, _ records: [SpoolRecord]) async -> StorageOutcome {
        spool.append(records)
        return await withCheckedContinuation { continuation in spool.whenStored { continuation.resume(returning: $0) } }
    }

    static func present(_ folder: URL) -> [Int] { (try? SpoolSegments.list(folder)) ?? [] }

    static func segment(_ folder: URL, _ index: Int = 1) -> URL {
        folder.appendingPathComponent(SpoolSegments.name(index))
    }

    static let sample: [SpoolRecord] = [
        accepted(1, targets: [.spoc(.fr), .europol]),
        accepted(2),
        .delivered(message: SampleMessages.id(1), to: .spoc(.fr)),
        .deadlineBreached(message: SampleMessages.id(2)),
        accepted(3, targets: []),
    ]

    @Test("what was stored is read back in order after a reopen, each kind of record intact")
    func roundTrip() async throws {
        try await TemporaryDirectory.with { folder in
            let (spool, first) = try Spool.open(directory: folder)
            #expect(first.records.isEmpty)
            #expect(first.cut == nil)
            #expect(await Self.store(spool, Self.sample) == .stored)
            await spool.close()
            let (again, recovery) = try Spool.open(directory: folder)
            #expect(recovery.records == Self.sample)
            #expect(recovery.cut == nil)
            await again.close()
        }
    }

    @Test(
        "halted as by a crash: what was stored stays, nothing appended afterwards is written or confirmed, and the folder opens again"
    )
    func halt() async throws {
        try await TemporaryDirectory.with { folder in
            let (spool, _) = try Spool.open(directory: folder)
            #expect(await Self.store(spool, Array(Self.sample.prefix(2))) == .stored)
            spool.halt()
            let size = try FileManager.default.attributesOfItem(atPath: Self.segment(folder).path)[.size] as? Int
            let outcome = await Self.store(spool, [Self.accepted(9)])
            #expect(outcome != .stored)
            #expect(try FileManager.default.attributesOfItem(atPath: Self.segment(folder).path)[.size] as? Int == size)
            let (again, recovery) = try Spool.open(directory: folder)
            #expect(recovery.records == Array(Self.sample.prefix(2)))
            #expect(recovery.cut == nil)
            #expect(await Self.store(again, [Self.accepted(9)]) == .stored)
            await again.close()
        }
    }

    @Test(
        "records nobody has asked about wait for the question: appended in twenty calls, then asked about once, they are written in one commit"
    )
    func oneCommitPerQuestion() async throws {
        try await TemporaryDirectory.with { folder in
            let configuration = SpoolConfiguration(lingerMilliseconds: 600_000)
            let (spool, _) = try Spool.open(directory: folder, configuration: configuration)
            let records = (1...20).map { Self.accepted(UInt8($0)) }
            spool.append([records[0]])
            // Nothing is written while nobody asks: watched for a while (a writer that wrote at once would have).
            let watch = ContinuousClock.now + .milliseconds(300)
            while spool.commitCount == 0, ContinuousClock.now < watch { try await Task.sleep(for: .milliseconds(2)) }
            #expect(spool.commitCount == 0)
            for record in records.dropFirst() { spool.append([record]) }
            let outcome = await withCheckedContinuation { continuation in
                spool.whenStored { continuation.resume(returning: $0) }
            }
            #expect(outcome == .stored)
            #expect(spool.commitCount == 1)
            await spool.close()
            let (again, recovery) = try Spool.open(directory: folder)
            #expect(recovery.records == records)
            await again.close()
        }
    }

    @Test("records nobody asks about are written all the same once the linger has passed, with no question or close")
    func lingerEnds() async throws {
        try await TemporaryDirectory.with { folder in
            let (spool, _) = try Spool.open(directory: folder, configuration: SpoolConfiguration(lingerMilliseconds: 1))
            spool.append(Array(Self.sample.prefix(2)))
            // Nothing to await: the end of the linger alone writes them. Polled, with a generous bound.
            let deadline = ContinuousClock.now + .seconds(30)
            while spool.commitCount == 0, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(2)) }
            #expect(spool.commitCount == 1)
            // As a crash: only what was written stays.
            spool.halt()
            let (again, recovery) = try Spool.open(directory: folder)
            #expect(recovery.records == Array(Self.sample.prefix(2)))
            await again.close()
        }
    }

    @Test(
        "a torn tail (a record cut short, a garbled last record, a half-written segment header) is cut, reported, and the spool goes on",
        arguments: ["short", "garbled", "header"]
    )
    func tornTail(kind: String) async throws {
        try await TemporaryDirectory.with { folder in
            let (spool, _) = try Spool.open(directory: folder)
            #expect(await Self.store(spool, Self.sample) == .stored)
            await spool.close()
            let whole = try Data(contentsOf: Self.segment(folder))
            var framed: [UInt8] = []
            SpoolSegments.frame(Self.accepted(9).payload(), into: &framed)
            switch kind {
            case "short":
                try (whole + Data(framed.prefix(framed.count - 10))).write(to: Self.segment(folder))
            case "garbled":
                framed[framed.count - 5] ^= 0xFF
                try (whole + Data(framed)).write(to: Self.segment(folder))
            default:
                // A crash right after the next segment was created.
                try Data(SpoolSegments.magic.prefix(3)).write(to: Self.segment(folder, 2))
            }
            let (reopened, recovery) = try Spool.open(directory: folder)
            #expect(recovery.records == Self.sample)
            let cut = try #require(recovery.cut)
            #expect(cut.contains("torn tail"), "\(cut)")
            #expect(await Self.store(reopened, [Self.accepted(10)]) == .stored)
            await reopened.close()
            let (_, later) = try Spool.open(directory: folder)
            #expect(later.records == Self.sample + [Self.accepted(10)])
            #expect(later.cut == nil)
        }
    }

    @Test(
        "a damaged record in the middle is refused, naming the segment and the offset; with repair the spool is cut from there"
    )
    func corruptMiddle() async throws {
        try await TemporaryDirectory.with { folder in
            let (spool, _) = try Spool.open(directory: folder)
            #expect(await Self.store(spool, Self.sample) == .stored)
            await spool.close()
            var bytes = Array(try Data(contentsOf: Self.segment(folder)))
            // The second record starts after the header and the first record.
            var first: [UInt8] = []
            SpoolSegments.frame(Self.sample[0].payload(), into: &first)
            let offset = SpoolSegments.magic.count + first.count
            bytes[offset + 20] ^= 0x01
            try Data(bytes).write(to: Self.segment(folder))
            do {
                _ = try Spool.open(directory: folder)
                Issue.record("a corrupt spool opened")
            } catch let error as SpoolError {
                #expect(error.code == .corrupt)
                #expect(error.path.hasSuffix("spool-000001.log"))
                #expect(error.offset == offset)
                #expect(error.description.contains("--repair"))
            }
            let (repaired, recovery) = try Spool.open(directory: folder, repair: true)
            #expect(recovery.records == [Self.sample[0]])
            #expect(recovery.cut?.contains("repaired") == true)
            await repaired.close()
            let (_, after) = try Spool.open(directory: folder)
            #expect(after.records == [Self.sample[0]])
        }
    }

    @Test("a missing segment is refused, naming it; with repair the other segments are read")
    func missingSegment() async throws {
        try await TemporaryDirectory.with { folder in
            let (spool, _) = try Spool.open(directory: folder, configuration: SpoolConfiguration(segmentBytes: 100))
            for index in 1...3 {
                #expect(await Self.store(spool, [Self.accepted(UInt8(index))]) == .stored)
            }
            await spool.close()
            #expect(spool.segmentCount == 3)
            try FileManager.default.removeItem(at: Self.segment(folder, 2))
            do {
                _ = try Spool.open(directory: folder)
                Issue.record("a spool with a missing segment opened")
            } catch let error as SpoolError {
                #expect(error.code == .missingSegment)
                #expect(error.path.hasSuffix("spool-000002.log"))
            }
            let (_, recovery) = try Spool.open(directory: folder, repair: true)
            #expect(recovery.records == [Self.accepted(1), Self.accepted(3)])
        }
    }

    @Test(
        "a segment whose deliveries are all acknowledged is deleted once newer segments hold the messages to retain; one with a delivery outstanding stays"
    )
    func compaction() async throws {
        try await TemporaryDirectory.with { folder in
            let configuration = SpoolConfiguration(segmentBytes: 100, retainMessages: 1)
            let (spool, _) = try Spool.open(directory: folder, configuration: configuration)
            // Message 1 goes to two recipients, each later message to one; every message fills a segment.
            #expect(await Self.store(spool, [Self.accepted(1, targets: [.spoc(.fr), .spoc(.de)])]) == .stored)
            for index in 2...4 {
                #expect(await Self.store(spool, [Self.accepted(UInt8(index))]) == .stored)
            }
            #expect(Self.present(folder) == [1, 2, 3, 4])
            // All but message 1's second delivery acknowledged (in a fifth segment): segment 1 stays, and so does
            // every later one, since only the oldest segments go.
            let done = (2...4).map { SpoolRecord.delivered(message: SampleMessages.id(UInt8($0)), to: .spoc(.fr)) }
            #expect(
                await Self.store(spool, done + [.delivered(message: SampleMessages.id(1), to: .spoc(.fr))]) == .stored
            )
            #expect(Self.present(folder) == [1, 2, 3, 4, 5])
            #expect(await Self.store(spool, [.delivered(message: SampleMessages.id(1), to: .spoc(.de))]) == .stored)
            // Segments 1 to 3 are done and deleted; segment 4 holds message 4, the one message to retain.
            #expect(Self.present(folder) == [4, 5, 6])
            await spool.close()
            let (_, recovery) = try Spool.open(directory: folder, configuration: configuration)
            #expect(recovery.records.contains(Self.accepted(4)))
            #expect(!recovery.records.contains(Self.accepted(1)))
        }
    }

    @Test("a file that is not a spool segment is refused, not cut")
    func notASegment() async throws {
        try await TemporaryDirectory.with { folder in
            try Data("not a spool at all, but long enough".utf8).write(to: Self.segment(folder))
            #expect(throws: SpoolError.self) { try Spool.open(directory: folder) }
        }
    }
}
