import EIXMModel
import EIXMTransport
import Testing

@Suite("Waiters", .timeLimit(.minutes(1)))
struct WaitersTests {
    @Test("a ready value is returned at once, without waiting")
    func ready() async {
        let waiters = Waiters<Int>()
        #expect(await waiters.wait(cancelled: -1) { 7 } == 7)
    }

    @Test("a waiting task is resumed with the value given to resumeAll, after the state it waits on changed")
    func resumed() async {
        let waiters = Waiters<Int>()
        let flag = Locked(false)
        let started = AsyncStream<Void>.makeStream()
        let waiting = Task {
            await waiters.wait(cancelled: -1) {
                started.continuation.yield()
                return flag.withLock { $0 } ? 1 : nil
            }
        }
        var events = started.stream.makeAsyncIterator()
        await events.next()
        flag.withLock { $0 = true }
        waiters.resumeAll(returning: 2)
        let value = await waiting.value
        // 2 if it had suspended, 1 if it looked after the change: never the cancelled value, never a hang.
        #expect(value == 2 || value == 1)
    }

    @Test("cancelling a waiting task returns the cancelled value; a task cancelled before it waits does not suspend")
    func cancelled() async {
        let waiters = Waiters<Int>()
        let waiting = Task { await waiters.wait(cancelled: -1) { nil } }
        waiting.cancel()
        #expect(await waiting.value == -1)
        let already = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return await waiters.wait(cancelled: -2) { nil }
        }
        #expect(await already.value == -2)
    }
}
