import EIXMModel
import Foundation

// Frame layout (README.md, "The wire protocol"). On the connection each frame is `length:u32 payload`, the
// length at most `Frame.maximumPayloadBytes`. The payload is `type:u8` then:
//
//   1 HELLO      node ID (u8 length + ASCII)
//   2 WELCOME    router ID (u8 length + ASCII), simulated time (i64 ms), heartbeat interval (u32 ms),
//                time scale (IEEE 754 binary64, positive and finite)
//   3 MESSAGE    envelope bytes (the rest)
//   4 DELIVERY   flags (u8: bit 0 copy rule present, bit 1 deadline present), [copy rule (u8 length + ASCII)],
//                [deadline (i64 ms)], envelope bytes (the rest)
//   5 ACK        message ID (16 bytes), kind (u8: 1 accepted; the router's answer to a MESSAGE)
//   6 NACK       message ID (16 bytes), count (u8), count x (rule: u8 length + ASCII, text: u16 length + UTF-8)
//   7 HEARTBEAT  nothing
//   8 GOODBYE    reason (u16 length + UTF-8)
//   9 RECEIPT    message ID (16 bytes), received at (i64 ms), header SHA-256 (32 bytes), body SHA-256 (32 bytes),
//                signature scheme (u8: 1 Ed25519, 2 Ed25519 over a batch's Merkle root), signature length (u16),
//                signature (as in an envelope); the signature covers `DeliveryReceipt.Content.signingInput`
//
// All integers big-endian. Decoding is total: any payload gives a frame or a FrameError.

extension Frame {
    /// The largest payload a frame may have: an envelope at its limits plus room for the frame's own fields.
    public static let maximumPayloadBytes =
        4 + 1 + 4 + WireLimits.maximumHeaderBytes + 4 + WireLimits.maximumBodyBytes + 3 + 512 + 1024

    /// The payload bytes (without the length prefix).
    public func payload() -> [UInt8] {
        var out: [UInt8] = []
        switch self {
        case .hello(let node):
            out.reserveCapacity(2 + node.rawValue.utf8.count)
            out.append(1)
            out.appendShort(node.rawValue)
        case .welcome(let welcome):
            out.append(2)
            out.appendShort(welcome.router.rawValue)
            out.appendInteger(UInt64(bitPattern: welcome.simulatedTime.millisecondsSinceEpoch))
            out.appendInteger(welcome.heartbeatMilliseconds)
            out.appendInteger(welcome.timeScale.bitPattern)
        case .message(let envelope):
            out.reserveCapacity(1 + envelope.count)
            out.append(3)
            out.append(contentsOf: envelope)
        case .delivery(let delivery):
            out.reserveCapacity(16 + delivery.envelope.count)
            out.append(4)
            out.append((delivery.copyRule == nil ? 0 : 1) | (delivery.deadline == nil ? 0 : 2))
            if let rule = delivery.copyRule { out.appendShort(rule) }
            if let deadline = delivery.deadline {
                out.appendInteger(UInt64(bitPattern: deadline.millisecondsSinceEpoch))
            }
            out.append(contentsOf: delivery.envelope)
        case .ack(let ack):
            out.append(5)
            out.appendUUID(ack.message)
            out.append(ack.kind.rawValue)
        case .receipt(let receipt):
            let signature = receipt.signature.bytes
            out.reserveCapacity(1 + 16 + 8 + 64 + 3 + signature.count)
            out.append(9)
            out.appendUUID(receipt.message)
            out.appendInteger(UInt64(bitPattern: receipt.content.receivedAt.millisecondsSinceEpoch))
            out.append(contentsOf: receipt.content.headerDigest)
            out.append(contentsOf: receipt.content.bodyDigest)
            out.append(receipt.signature.scheme)
            out.appendInteger(UInt16(signature.count))
            out.append(contentsOf: signature)
        case .nack(let refusal):
            out.append(6)
            out.appendUUID(refusal.message)
            let reasons = refusal.reasons.prefix(255)
            out.append(UInt8(reasons.count))
            for reason in reasons {
                out.appendShort(reason.rule)
                out.appendText(reason.text)
            }
        case .heartbeat:
            out.append(7)
        case .goodbye(let reason):
            out.append(8)
            out.appendText(reason)
        }
        return out
    }

    /// Reads a payload. Total: any bytes give a frame or a ``FrameError``.
    public init(payload bytes: [UInt8]) throws(FrameError) {
        var reader = FrameReader(bytes: bytes)
        let type = try reader.byte("type")
        switch type {
        case 1:
            self = .hello(node: try reader.node("HELLO node"))
        case 2:
            let router = try reader.node("WELCOME router")
            let time = Timestamp(
                millisecondsSinceEpoch: Int64(bitPattern: try reader.integer("WELCOME time", as: UInt64.self))
            )
            let heartbeat = try reader.integer("WELCOME heartbeat", as: UInt32.self)
            let scale = Double(bitPattern: try reader.integer("WELCOME time scale", as: UInt64.self))
            guard scale.isFinite, scale > 0 else {
                throw FrameError(.invalidValue, "WELCOME time scale \(scale) is not a positive number")
            }
            self = .welcome(
                Welcome(router: router, simulatedTime: time, heartbeatMilliseconds: heartbeat, timeScale: scale)
            )
        case 3:
            self = .message(envelope: reader.rest())
        case 4:
            let flags = try reader.byte("DELIVERY flags")
            guard flags & ~3 == 0 else {
                throw FrameError(.invalidValue, "DELIVERY flags 0x\(String(flags, radix: 16))")
            }
            let rule = flags & 1 != 0 ? try reader.short("DELIVERY copy rule") : nil
            let deadline =
                flags & 2 != 0
                ? Timestamp(
                    millisecondsSinceEpoch: Int64(bitPattern: try reader.integer("DELIVERY deadline", as: UInt64.self))
                )
                : nil
            self = .delivery(Delivery(envelope: reader.rest(), copyRule: rule, deadline: deadline))
        case 5:
            let id = try reader.uuid("ACK message")
            let kindByte = try reader.byte("ACK kind")
            guard let kind = Acknowledgement.Kind(rawValue: kindByte) else {
                throw FrameError(
                    .invalidValue,
                    kindByte == 2
                        ? "ACK kind 2 (a delivery acknowledged without a receipt) is no longer read: a recipient answers a DELIVERY with a signed RECEIPT (type 9)"
                        : "ACK kind \(kindByte) is not 1 (accepted)"
                )
            }
            self = .ack(Acknowledgement(message: id, kind: kind))
        case 6:
            let id = try reader.uuid("NACK message")
            let count = Int(try reader.byte("NACK count"))
            var reasons: [Refusal.Reason] = []
            for _ in 0..<count {
                reasons.append(
                    Refusal.Reason(rule: try reader.short("NACK rule"), text: try reader.text("NACK reason"))
                )
            }
            self = .nack(Refusal(message: id, reasons: reasons))
        case 7:
            self = .heartbeat
        case 9:
            let id = try reader.uuid("RECEIPT message")
            let time = Timestamp(
                millisecondsSinceEpoch: Int64(bitPattern: try reader.integer("RECEIPT received at", as: UInt64.self))
            )
            let headerDigest = Array(try reader.take(DeliveryReceipt.digestLength, "RECEIPT header digest"))
            let bodyDigest = Array(try reader.take(DeliveryReceipt.digestLength, "RECEIPT body digest"))
            let scheme = try reader.byte("RECEIPT signature scheme")
            let length = Int(try reader.integer("RECEIPT signature length", as: UInt16.self))
            let signatureBytes = Array(try reader.take(length, "RECEIPT signature"))
            do {
                self = .receipt(
                    DeliveryReceipt(
                        content: try DeliveryReceipt.Content(
                            message: id,
                            headerDigest: headerDigest,
                            bodyDigest: bodyDigest,
                            receivedAt: time
                        ),
                        signature: try SignatureBlock(scheme: scheme, bytes: signatureBytes)
                    )
                )
            } catch {
                throw FrameError(.invalidValue, "RECEIPT \(error)")
            }
        case 8:
            self = .goodbye(reason: try reader.text("GOODBYE reason"))
        default:
            throw FrameError(.unknownType, "type byte \(type)")
        }
        guard reader.isAtEnd else {
            throw FrameError(.trailingBytes, "\(reader.remaining) byte(s) after a \(name) frame")
        }
    }
}

extension [UInt8] {
    fileprivate mutating func appendInteger<Integer: FixedWidthInteger>(_ value: Integer) {
        Swift.withUnsafeBytes(of: value.bigEndian) { append(contentsOf: $0) }
    }

    /// Text of at most 255 bytes, with a one-byte length.
    fileprivate mutating func appendShort(_ text: String) {
        let bytes = Array(text.utf8.prefix(255))
        append(UInt8(bytes.count))
        append(contentsOf: bytes)
    }

    /// Text of at most 65,535 bytes, with a two-byte length.
    fileprivate mutating func appendText(_ text: String) {
        let bytes = Array(text.utf8.prefix(65_535))
        appendInteger(UInt16(bytes.count))
        append(contentsOf: bytes)
    }

    fileprivate mutating func appendUUID(_ id: UUID) {
        Swift.withUnsafeBytes(of: id.uuid) { append(contentsOf: $0) }
    }
}

/// Reads the fields of a frame payload.
private struct FrameReader {
    let bytes: [UInt8]
    var offset = 0

    var remaining: Int { bytes.count - offset }
    var isAtEnd: Bool { offset == bytes.count }

    mutating func take(_ count: Int, _ field: String) throws(FrameError) -> ArraySlice<UInt8> {
        guard count <= remaining else {
            throw FrameError(.truncated, "\(field) needs \(count) byte(s), \(remaining) left")
        }
        defer { offset += count }
        return bytes[offset..<offset + count]
    }

    mutating func byte(_ field: String) throws(FrameError) -> UInt8 { try take(1, field).first! }

    mutating func integer<Integer: FixedWidthInteger>(
        _ field: String,
        as type: Integer.Type
    ) throws(FrameError) -> Integer {
        try take(MemoryLayout<Integer>.size, field).reduce(0) { $0 << 8 | Integer($1) }
    }

    mutating func short(_ field: String) throws(FrameError) -> String {
        let count = Int(try byte(field))
        return try utf8(take(count, field), field)
    }

    mutating func text(_ field: String) throws(FrameError) -> String {
        let count = Int(try integer(field, as: UInt16.self))
        return try utf8(take(count, field), field)
    }

    mutating func node(_ field: String) throws(FrameError) -> NodeID {
        let text = try short(field)
        guard let node = NodeID(text) else { throw FrameError(.invalidValue, "\(field) '\(text)' is not a node ID") }
        return node
    }

    mutating func uuid(_ field: String) throws(FrameError) -> UUID {
        let b = Array(try take(16, field))
        return UUID(
            uuid: (b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15])
        )
    }

    mutating func rest() -> [UInt8] {
        defer { offset = bytes.count }
        return Array(bytes[offset...])
    }

    private func utf8(_ slice: ArraySlice<UInt8>, _ field: String) throws(FrameError) -> String {
        guard let text = String(validating: slice, as: UTF8.self) else {
            throw FrameError(.invalidValue, "\(field) is not UTF-8")
        }
        return text
    }
}
