import EIXMModel
import Testing

@Suite("Change signal")
struct ChangeSignalTests {
    @Test("a waiter wakes on a change after the version it read, and at once when one came before it waited")
    func wakes() async {
        let signal = ChangeSignal()
        let version = signal.version
        let waiting = Task { await signal.wait(after: version, until: .now + .seconds(60)) }
        signal.changed()
        #expect(await waiting.value)
        // A change between reading the version and waiting is not missed.
        let before = signal.version
        signal.changed()
        #expect(await signal.wait(after: before, until: .now + .seconds(60)))
        #expect(signal.version == before + 1)
    }

    @Test("no change: the wait ends at its deadline, or when its task is cancelled, saying false")
    func deadlineAndCancellation() async {
        let signal = ChangeSignal()
        #expect(await signal.wait(after: signal.version, until: .now + .milliseconds(20)) == false)
        let waiting = Task { await signal.wait(after: signal.version, until: .now + .seconds(600)) }
        waiting.cancel()
        #expect(await waiting.value == false)
    }
}
