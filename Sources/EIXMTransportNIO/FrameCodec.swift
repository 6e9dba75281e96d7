import EIXMTransport
import NIOCore

/// Splits the byte stream into frames (`length:u32 payload`) and reads each payload. A length above
/// ``Frame/maximumPayloadBytes`` or a payload that is not a frame is an error: the pipeline closes the connection.
struct FrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = Frame

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let length = buffer.getInteger(at: buffer.readerIndex, as: UInt32.self) else { return .needMoreData }
        guard length <= Frame.maximumPayloadBytes else {
            throw FrameError(.tooLarge, "a frame of \(length) bytes; at most \(Frame.maximumPayloadBytes)")
        }
        guard buffer.readableBytes >= 4 + Int(length) else { return .needMoreData }
        buffer.moveReaderIndex(forwardBy: 4)
        let payload = buffer.readBytes(length: Int(length))!
        context.fireChannelRead(Self.wrapInboundOut(try Frame(payload: payload)))
        return .continue
    }

    mutating func decodeLast(
        context: ChannelHandlerContext,
        buffer: inout ByteBuffer,
        seenEOF: Bool
    ) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        if buffer.readableBytes > 0 {
            throw FrameError(.truncated, "the connection ended inside a frame (\(buffer.readableBytes) byte(s) left)")
        }
        return .needMoreData
    }
}

/// Writes frames as `length:u32 payload`.
enum FrameEncoder {
    static func encode(_ frame: Frame, into buffer: inout ByteBuffer) {
        let payload = frame.payload()
        buffer.reserveCapacity(minimumWritableBytes: 4 + payload.count)
        buffer.writeInteger(UInt32(payload.count))
        buffer.writeBytes(payload)
    }
}
