import EIXMTransport
import NIOCore

/// The sending half of a NIO connection. Frames written together go out in one flush.
struct NIOOutbound: FrameOutbound {
    let writer: NIOAsyncChannelOutboundWriter<Frame>

    func send(_ frames: [Frame]) async throws {
        try await writer.write(contentsOf: frames)
    }

    func close() async { writer.finish() }
}
