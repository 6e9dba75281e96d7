import EIXMModel
import Testing

@Suite("A writer's queue that reuses the storage it hands back")
struct HandOverQueueTests {
    private static func address(_ array: [String]) -> UnsafeRawPointer? {
        array.withUnsafeBufferPointer { $0.baseAddress.map(UnsafeRawPointer.init) }
    }

    @Test("a take gives everything appended since the last, in order, and leaves the queue empty")
    func takeGivesWhatWasAppended() {
        var queue = HandOverQueue<String>()
        queue.append(contentsOf: ["a", "b"])
        queue.append(contentsOf: ["c"])
        #expect(queue.count == 3)
        #expect(queue.take() == ["a", "b", "c"])
        #expect(queue.isEmpty)
        queue.append(contentsOf: ["d"])
        #expect(queue.take() == ["d"])
        #expect(queue.take() == [])
    }

    @Test("the array given back, emptied, is the storage the next appends fill")
    func recycledStorageIsFilledAgain() {
        var queue = HandOverQueue<String>()
        queue.append(contentsOf: (0..<100).map { "event \($0)" })
        var taken = queue.take()
        let storage = Self.address(taken)
        let capacity = taken.capacity
        taken.removeAll(keepingCapacity: true)
        queue.recycle(&taken)
        #expect(queue.capacity == capacity)
        queue.append(contentsOf: ["x"])
        queue.append(contentsOf: (0..<50).map { "later \($0)" })
        let next = queue.take()
        #expect(next.first == "x")
        #expect(next.count == 51)
        #expect(Self.address(next) == storage)
    }

    @Test("what is appended while an array is out keeps its order, and that array comes back for the next batch")
    func appendsWhileOutKeepTheirOwnStorage() {
        var queue = HandOverQueue<String>()
        queue.append(contentsOf: (0..<64).map { "first \($0)" })
        var taken = queue.take()
        queue.append(contentsOf: ["second"])
        taken.removeAll(keepingCapacity: true)
        let storage = Self.address(taken)
        queue.recycle(&taken)
        #expect(queue.take() == ["second"])
        queue.append(contentsOf: ["third"])
        let third = queue.take()
        #expect(third == ["third"])
        #expect(Self.address(third) == storage)
    }

    @Test("an array given back with elements in it, or larger than the storage kept, is not reused")
    func onlyEmptiedArraysOfBoundedSizeAreKept() {
        var queue = HandOverQueue<String>()
        var stale = ["stale"]
        queue.recycle(&stale)
        queue.append(contentsOf: ["fresh"])
        #expect(queue.take() == ["fresh"])

        var huge: [String] = []
        huge.reserveCapacity(HandOverQueue<String>.keptCapacity + 1)
        let storage = Self.address(huge)
        queue.recycle(&huge)
        #expect(queue.capacity <= HandOverQueue<String>.keptCapacity)
        queue.append(contentsOf: ["next"])
        #expect(Self.address(queue.take()) != storage)
    }

    @Test("removeAll drops what waits (a halt)")
    func removeAllDropsWhatWaits() {
        var queue = HandOverQueue<String>()
        queue.append(contentsOf: ["a", "b"])
        queue.removeAll()
        #expect(queue.isEmpty)
        #expect(queue.take() == [])
    }
}
