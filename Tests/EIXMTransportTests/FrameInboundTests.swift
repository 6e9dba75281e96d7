import EIXMModel
import EIXMTransport
import Testing

/// A connection's frames, one at a time or the rest of a read at once.
@Suite("Frame inbound")
struct FrameInboundTests {
    /// An inbound that hands over `batches`, then ends.
    static func inbound(_ batches: [[Frame]]) -> FrameInbound {
        let remaining = Locked(batches)
        return FrameInbound(nextBatch: {
            remaining.withLock { $0.isEmpty ? nil : $0.removeFirst() }
        })
    }

    static func frame(_ index: Int) -> Frame { .goodbye(reason: "\(index)") }

    @Test("next() takes frames one by one across reads; nextBatch() the rest of a read, or the next read whole")
    func mixed() async throws {
        var frames = Self.inbound([[Self.frame(1), Self.frame(2), Self.frame(3)], [], [Self.frame(4), Self.frame(5)]])
            .makeAsyncIterator()
        #expect(try await frames.next() == Self.frame(1))
        #expect(try await frames.nextBatch() == [Self.frame(2), Self.frame(3)])
        // The empty read is skipped: a batch is never empty.
        #expect(try await frames.nextBatch() == [Self.frame(4), Self.frame(5)])
        #expect(try await frames.nextBatch() == nil)
        #expect(try await frames.next() == nil)
    }

    @Test("a frame-by-frame source gives batches of one")
    func single() async throws {
        let remaining = Locked([Self.frame(1), Self.frame(2)])
        var frames = FrameInbound(next: { remaining.withLock { $0.isEmpty ? nil : $0.removeFirst() } })
            .makeAsyncIterator()
        #expect(try await frames.nextBatch() == [Self.frame(1)])
        #expect(try await frames.next() == Self.frame(2))
        #expect(try await frames.nextBatch() == nil)
    }

    @Test("every frame comes once, in order, whatever mix of next() and nextBatch() reads them")
    func seededMix() async throws {
        var generator = SeededGenerator(seed: 11)
        let all = (0..<500).map(Self.frame)
        var batches: [[Frame]] = []
        var index = 0
        while index < all.count {
            let size = Int.random(in: 0...7, using: &generator)
            batches.append(Array(all[index..<min(all.count, index + size)]))
            index += size
        }
        var frames = Self.inbound(batches).makeAsyncIterator()
        var read: [Frame] = []
        while true {
            if Bool.random(using: &generator) {
                guard let frame = try await frames.next() else { break }
                read.append(frame)
            } else {
                guard let batch = try await frames.nextBatch() else { break }
                #expect(!batch.isEmpty)
                read += batch
            }
        }
        #expect(read == all)
    }
}
