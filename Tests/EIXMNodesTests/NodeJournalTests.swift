import EIXMModel
import EIXMSpool
import EIXMTestKit
import Foundation
import Testing

@testable import EIXMNodes

/// The journal an `eixm node --state` keeps: what it replays after a reopen is what was recorded, less what was
/// settled; it compacts to that; damage is refused, naming the file, unless repaired.
@Suite("Node journals")
struct NodeJournalTests {
    static func header(_ index: UInt8) -> Header { SampleMessages.request(index) }

    static func scheduled(_ number: Int, _ kind: ScheduledAnswer.Kind, to index: UInt8) -> NodeJournal.Entry {
        ScheduledAnswer(
            number: number,
            kind: kind,
            to: header(index),
            at: Timestamp(millisecondsSinceEpoch: 1_000 * Int64(number))
        ).journalEntry!
    }

    /// Three deliveries acted on; three messages sent, the second answered; four answers scheduled, two of them sent;
    /// one clarification asked for.
    static let entries: [NodeJournal.Entry] = [
        .actedOn(SampleMessages.id(1)),
        .sent(SampleMessages.id(11), envelope: Data("eleven".utf8)),
        scheduled(0, .reply, to: 1),
        .actedOn(SampleMessages.id(2)),
        .sent(SampleMessages.id(12), envelope: Data("twelve".utf8)),
        scheduled(1, .refusal(.dataQuality), to: 2),
        .answerSent(0),
        .answered(SampleMessages.id(12)),
        .actedOn(SampleMessages.id(3)),
        scheduled(2, .hitNotification(to: .europol), to: 3),
        scheduled(3, .clarificationRequest, to: 3),
        .clarifying(SampleMessages.id(21), request: Data(try! header(3).canonicalBytes())),
        .answerSent(3),
        .sent(SampleMessages.id(13), envelope: Data("thirteen".utf8)),
    ]

    @Test(
        "a reopened journal remembers what was acted on, what is unanswered (in order), and the answers not yet sent, and compacts to them"
    )
    func replay() async throws {
        try await TemporaryDirectory.with { folder in
            let journal = try NodeJournal(directory: folder)
            #expect(journal.summary == "0 message(s) acted on, 0 unanswered, 0 answer(s) to send")
            try journal.record(Array(Self.entries.prefix(7)))
            try journal.record(Array(Self.entries.dropFirst(7)))
            let reopened = try NodeJournal(directory: folder)
            let remembered = reopened.remembered
            #expect(remembered.actedOn == [SampleMessages.id(1), SampleMessages.id(2), SampleMessages.id(3)])
            #expect(remembered.unanswered.map(\.id) == [SampleMessages.id(11), SampleMessages.id(13)])
            #expect(remembered.unanswered.map(\.envelope) == [Array("eleven".utf8), Array("thirteen".utf8)])
            #expect(remembered.answers.keys.sorted() == [1, 2])
            guard case .refusal(.dataQuality) = remembered.answers[1]?.kind else {
                Issue.record("answer 1 is not the refusal scheduled: \(String(describing: remembered.answers[1]))")
                return
            }
            guard case .hitNotification(to: .europol) = remembered.answers[2]?.kind else {
                Issue.record(
                    "answer 2 is not the hit notification scheduled: \(String(describing: remembered.answers[2]))"
                )
                return
            }
            #expect(remembered.answers[2]?.to.id == SampleMessages.id(3))
            #expect(remembered.answers[2]?.at == Timestamp(millisecondsSinceEpoch: 2_000))
            #expect(remembered.clarifying[SampleMessages.id(21)]?.id == SampleMessages.id(3))
            #expect(remembered.nextAnswerNumber == 4, "a number already used would be reused")
            #expect(reopened.summary == "3 message(s) acted on, 2 unanswered, 2 answer(s) to send")
            // Compacted: the file now holds one record per thing remembered, and replays to the same.
            let (_, recovery) = try RecordFile.open(
                path: folder.appendingPathComponent(NodeJournal.fileName).path,
                magic: "EIXMNOD1",
                kind: "a record"
            )
            #expect(recovery.payloads.count == 3 + 2 + 1 + 2)
            let again = try NodeJournal(directory: folder).remembered
            #expect(again.actedOn == remembered.actedOn)
            #expect(again.unanswered.map(\.id) == remembered.unanswered.map(\.id))
            #expect(again.answers.keys.sorted() == [1, 2])
            #expect(again.clarifying.keys.sorted { $0.uuidString < $1.uuidString } == [SampleMessages.id(21)])
        }
    }

    @Test(
        "a journal damaged before its tail is refused, naming the file and the byte; with repair it opens with what came before"
    )
    func damaged() async throws {
        try await TemporaryDirectory.with { folder in
            try NodeJournal(directory: folder).record(Self.entries)
            let path = folder.appendingPathComponent(NodeJournal.fileName).path
            var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
            bytes[40] ^= 0xFF
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            do {
                _ = try NodeJournal(directory: folder)
                Issue.record("a damaged journal opened")
            } catch let error as SpoolError {
                #expect(error.code == .corrupt)
                #expect(error.description.hasPrefix(path + " at byte "))
                #expect(error.description.contains("--repair"))
            }
            let repaired = try NodeJournal(directory: folder, repair: true)
            #expect(repaired.cut?.contains("repaired") == true)
            #expect(
                repaired.remembered.actedOn.isEmpty,
                "the first record was damaged, so nothing before it is remembered"
            )
        }
    }
}
