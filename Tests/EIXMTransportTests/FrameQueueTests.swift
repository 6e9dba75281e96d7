import EIXMModel
import EIXMTransport
import Testing

@Suite("Frame queues", .timeLimit(.minutes(1)))
struct FrameQueueTests {
    @Test("the writer takes queued frames in order, at most a batch limit at a time")
    func batches() async throws {
        let queue = FrameQueue(batchLimit: 256)
        let frames = (0..<600).map { Frame.goodbye(reason: "\($0)") }
        queue.enqueue(frames)
        let written = Locked<[[Frame]]>([])
        try await queue.drain { batch in
            let total = written.withLock { batches in
                batches.append(batch)
                return batches.reduce(0) { $0 + $1.count }
            }
            if total == frames.count { queue.close() }
        }
        let batches = written.withLock { $0 }
        #expect(batches.map(\.count) == [256, 256, 88])
        #expect(batches.flatMap { $0 } == frames)
    }

    /// What happened, in order, across tasks.
    final class Events: Sendable {
        private let list = Locked<[String]>([])

        func add(_ event: String) { list.withLock { $0.append(event) } }

        var all: [String] { list.withLock { $0 } }
    }

    @Test(
        "a reader waits for room while more than the backlog limit waits to be written, and goes on once it is written"
    )
    func backlog() async throws {
        let queue = FrameQueue(backlogLimit: 2)
        queue.enqueue([.heartbeat, .heartbeat, .heartbeat])
        let events = Events()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                await queue.waitForRoom()
                events.add("room")
            }
            group.addTask {
                try await queue.drain { batch in events.add("written \(batch.count)") }
            }
            try await group.next()
            queue.close()
            try await group.waitForAll()
        }
        #expect(events.all == ["written 3", "room"])
    }
}
