import EIXMTransport
import NIOCore

/// The sending half of a NIO connection. Frames sent together are encoded into one buffer and written once:
/// NIOSSL makes one TLS record per write, so a batch costs one record, not one per frame.
struct NIOOutbound: FrameOutbound {
    let writer: NIOAsyncChannelOutboundWriter<ByteBuffer>
    let allocator: ByteBufferAllocator

    func send(_ frames: [Frame]) async throws {
        guard !frames.isEmpty else { return }
        var buffer = allocator.buffer(capacity: 0)
        for frame in frames { FrameEncoder.encode(frame, into: &buffer) }
        try await writer.write(buffer)
    }

    func close() async { writer.finish() }
}
