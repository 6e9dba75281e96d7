import EIXMModel
import NIOCore
import Testing

@testable import EIXMTransportNIO

/// The allocator of the TLS handler's long-lived buffers: what is written is read back, through growth and copies.
@Suite("Page-mapped allocator")
struct PageMappedAllocatorTests {
    @Test("bytes written are read back after the buffer grows, and a copy on write keeps both versions")
    func roundTrip() {
        var random = SeededGenerator(seed: 11)
        let bytes = (0..<70_000).map { _ in UInt8.random(in: 0...255, using: &random) }
        var buffer = PageMappedAllocator.allocator.buffer(capacity: 32_768)
        buffer.writeBytes(bytes[..<20_000])
        let before = buffer
        buffer.writeBytes(bytes[20_000...])  // grows past the first mapping, and copies (`before` shares it)
        #expect(buffer.readableBytesView.elementsEqual(bytes))
        #expect(before.readableBytesView.elementsEqual(bytes[..<20_000]))
        var small = PageMappedAllocator.allocator.buffer(capacity: 10)
        small.writeString("heartbeat")
        #expect(small.readString(length: 9) == "heartbeat")
    }
}
