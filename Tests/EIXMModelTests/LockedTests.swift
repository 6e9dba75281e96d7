import Dispatch
import EIXMModel
import Testing

@Suite("Locked")
struct LockedTests {
    @Test("increments from many threads at once are none of them lost")
    func exclusive() {
        let counter = Locked(0)
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for _ in 0..<10_000 { counter.withLock { $0 += 1 } }
        }
        #expect(counter.withLock { $0 } == 80_000)
    }

    @Test("a typed error thrown inside leaves the value as the body left it")
    func throwing() {
        struct Refused: Error {}
        let value = Locked([1, 2])
        #expect(throws: Refused.self) {
            try value.withLock { (numbers: inout [Int]) throws(Refused) in
                numbers.append(3)
                throw Refused()
            }
        }
        #expect(value.withLock { $0 } == [1, 2, 3])
    }
}
