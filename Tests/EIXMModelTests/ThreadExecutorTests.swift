import EIXMModel
import Foundation
import Testing

/// An actor on a thread of its own: its jobs run there, one at a time, in the order they came.
@Suite("Thread executor", .timeLimit(.minutes(1)))
struct ThreadExecutorTests {
    actor Recorder {
        let executor: ThreadExecutor
        nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
        var entries: [Int] = []
        var threads: Set<String> = []
        /// How many calls were inside the actor at once, at most (a serial executor keeps it at 1).
        var inside = 0
        var mostInside = 0

        init(name: String) { executor = ThreadExecutor(name: name) }

        func record(_ value: Int) {
            inside += 1
            mostInside = max(mostInside, inside)
            threads.insert(Thread.current.name ?? "")
            // Some work between the two counts, so that a second thread running at once would be seen.
            var sum = 0
            for index in 0..<2_000 { sum &+= index &* value }
            if sum == -1 { entries.append(sum) }
            entries.append(value)
            inside -= 1
        }

        func stop() { executor.shutdown() }
    }

    @Test("calls from many tasks run one at a time, all on the executor's own thread")
    func serialOnItsThread() async {
        let recorder = Recorder(name: "eixm.serial")
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<8 {
                group.addTask {
                    for index in 0..<200 { await recorder.record(task * 1_000 + index) }
                }
            }
        }
        #expect(await recorder.entries.count == 1_600)
        #expect(await recorder.mostInside == 1)
        let threads = await recorder.threads
        #expect(threads == ["eixm.serial"], "\(threads)")
        // Each task's calls ran in the order it made them.
        let entries = await recorder.entries
        for task in 0..<8 {
            #expect(entries.filter { $0 / 1_000 == task } == (0..<200).map { task * 1_000 + $0 })
        }
        await recorder.stop()
    }

    static func currentThreadName() -> String { Thread.current.name ?? "" }

    @Test("a task that prefers the executor runs on its thread from its first instruction, before any hop to an actor")
    func taskExecutor() async {
        let executor = ThreadExecutor(name: "eixm.preferred")
        let name = await Task(executorPreference: executor) { Self.currentThreadName() }.value
        #expect(name == "eixm.preferred")
        executor.shutdown()
    }
}
