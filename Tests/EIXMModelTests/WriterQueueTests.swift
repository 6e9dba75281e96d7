import Dispatch
import EIXMModel
import Testing

@Suite("A store's writer queue")
struct WriterQueueTests {
    /// A writer thread as a store runs one: each take is written by `write`, which records what it got.
    final class Writer: Sendable {
        let queue = WriterQueue<Int>()
        let written = Locked<[[Int]]>([])
        let failNext = Locked(false)

        func start() {
            NamedThread.start("test.writer") { [self] in
                while true {
                    queue.waitForWork(linger: .milliseconds(1))
                    let work = queue.take()
                    if work.halted {
                        queue.ended()
                        return
                    }
                    let failed = failNext.withLock { fail in
                        defer { fail = false }
                        return fail
                    }
                    if !failed { written.withLock { $0.append(contentsOf: work.batches) } }
                    queue.answer(work, failed ? .failed("no space left on device") : .stored)
                    if work.closing {
                        queue.ended()
                        return
                    }
                }
            }
        }

        /// Suspends until the writer answers a question asked now.
        func stored() async -> StorageOutcome {
            await withCheckedContinuation { continuation in
                if !queue.whenStored({ continuation.resume(returning: $0) }) {
                    continuation.resume(returning: .failed("closed"))
                }
            }
        }
    }

    @Test("the writer takes the batches whole and in order, and a question is answered once all before it is written")
    func takesBatchesInOrder() async {
        let writer = Writer()
        writer.start()
        var generator = SeededGenerator(seed: 7)
        var expected: [[Int]] = []
        var next = 0
        for round in 0..<50 {
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                let batch = Array(next..<next + Int.random(in: 1...5, using: &generator))
                next += batch.count
                expected.append(batch)
                #expect(writer.queue.append(batch))
            }
            // Every few rounds a question: what was appended before it must be written when it is answered.
            if round % 3 == 0 {
                #expect(await writer.stored() == .stored)
                #expect(writer.written.withLock { $0 } == expected)
            }
        }
        #expect(writer.queue.beginClosing())
        await writer.queue.waitUntilEnded()
        #expect(writer.written.withLock { $0 } == expected)
    }

    @Test("appends and questions from many tasks at once are all written and answered")
    func concurrentCallers() async {
        let writer = Writer()
        writer.start()
        let outcomes = await withTaskGroup(of: StorageOutcome.self) { group in
            for task in 0..<8 {
                group.addTask {
                    for index in 0..<200 {
                        writer.queue.append([task * 1000 + index])
                        if index % 50 == 49 {
                            let outcome = await writer.stored()
                            if outcome != .stored { return outcome }
                        }
                    }
                    return .stored
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outcomes == Array(repeating: .stored, count: 8))
        let written = writer.written.withLock { $0.flatMap { $0 } }
        #expect(written.count == 1600)
        #expect(Set(written).count == 1600)
        for task in 0..<8 {
            // Each task's items in the order it appended them.
            #expect(written.filter { $0 / 1000 == task } == (0..<200).map { task * 1000 + $0 })
        }
        #expect(writer.queue.beginClosing())
        await writer.queue.waitUntilEnded()
    }

    @Test("a failed write is told to its waiter, and the next write goes on")
    func failedWrite() async {
        let writer = Writer()
        writer.failNext.withLock { $0 = true }
        writer.start()
        writer.queue.append([1, 2])
        #expect(await writer.stored() == .failed("no space left on device"))
        writer.queue.append([3])
        #expect(await writer.stored() == .stored)
        #expect(writer.written.withLock { $0 } == [[3]])
        #expect(writer.queue.beginClosing())
        await writer.queue.waitUntilEnded()
    }

    @Test("once closing, appends and questions are refused, and closing twice is refused")
    func closing() async {
        let writer = Writer()
        writer.start()
        writer.queue.append([1])
        #expect(writer.queue.beginClosing())
        #expect(!writer.queue.beginClosing())
        #expect(!writer.queue.append([2]))
        #expect(!writer.queue.whenStored { _ in Issue.record("a question after closing was answered") })
        await writer.queue.waitUntilEnded()
        // What was appended before the close is written; what came after is not.
        #expect(writer.written.withLock { $0 } == [[1]])
    }

    @Test("a halt drops what is pending and its waiters hear nothing; the writer ends without writing")
    func halt() async {
        let writer = Writer()
        writer.queue.append([1, 2, 3])
        #expect(writer.queue.whenStored { _ in Issue.record("a waiter dropped by the halt was answered") })
        // The halt's first half before the writer runs: nothing pending may be written.
        #expect(writer.queue.stop())
        writer.start()
        await writer.queue.waitUntilEnded()
        #expect(writer.written.withLock { $0 }.isEmpty)
        #expect(!writer.queue.append([4]))
        #expect(!writer.queue.stop())
    }

    @Test("a halt while the writer waits for work ends it, and returns once it has ended")
    func haltWhileWaiting() async {
        let writer = Writer()
        writer.start()
        writer.queue.append([1])
        #expect(await writer.stored() == .stored)
        // halt() is these two, blocking its thread for the second (a task suspends instead).
        #expect(writer.queue.stop())
        await writer.queue.waitUntilEnded()
        #expect(!writer.queue.append([2]))
        #expect(writer.written.withLock { $0 } == [[1]])
    }
}
