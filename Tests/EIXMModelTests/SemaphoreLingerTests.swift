import Dispatch
import EIXMModel
import Testing

@Suite("A writer's linger on its semaphore")
struct SemaphoreLingerTests {
    @Test("signals after which the condition still holds do not end the wait; the first after which it fails does")
    func endsWhenTheConditionFails() {
        let semaphore = DispatchSemaphore(value: 0)
        for _ in 0..<3 { semaphore.signal() }
        var checks = 0
        semaphore.linger(until: .now() + .seconds(600)) {
            checks += 1
            return checks < 3
        }
        #expect(checks == 3)
        // Two signals taken, the third left for the writer's next wait.
        #expect(semaphore.wait(timeout: .now()) == .success)
        #expect(semaphore.wait(timeout: .now()) == .timedOut)
    }

    @Test("with no signal the wait lasts until the deadline")
    func endsAtTheDeadline() {
        let semaphore = DispatchSemaphore(value: 0)
        let deadline = DispatchTime.now() + .milliseconds(20)
        semaphore.linger(until: deadline) { true }
        #expect(DispatchTime.now() >= deadline)
    }

    @Test("a condition that does not hold ends it at once, taking no signal")
    func noWait() {
        let semaphore = DispatchSemaphore(value: 0)
        semaphore.signal()
        semaphore.linger(until: .now() + .seconds(600)) { false }
        #expect(semaphore.wait(timeout: .now()) == .success)
    }
}
