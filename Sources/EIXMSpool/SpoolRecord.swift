import EIXMModel
import Foundation

/// One record of the router's write-ahead spool.
public enum SpoolRecord: Sendable, Hashable {
    /// The router accepted a message: the promise behind its ACK.
    case accepted(AcceptedMessage)
    /// A recipient acknowledged its delivery of a message: that (message, recipient) pair is done.
    case delivered(message: UUID, to: NodeID)
    /// A request's deadline was counted as breached, so that a restart does not count it again.
    case deadlineBreached(message: UUID)
}

/// What the router must remember of an accepted message to keep its promise after a crash.
public struct AcceptedMessage: Sendable, Hashable {
    /// One recipient: an addressee, or a node the rules copy or notify (with the rule).
    public struct Target: Sendable, Hashable {
        public let node: NodeID
        public let copyRule: String?

        public init(node: NodeID, copyRule: String?) {
            self.node = node
            self.copyRule = copyRule
        }
    }

    public let id: UUID
    /// When the router received it (simulated time): the rules judged it at this time.
    public let receivedAt: Timestamp
    /// The deadline the rules set, given to recipients with the delivery.
    public let deadline: Timestamp?
    public let targets: [Target]
    /// The envelope as the sender signed it.
    public let envelope: [UInt8]

    public init(id: UUID, receivedAt: Timestamp, deadline: Timestamp?, targets: [Target], envelope: [UInt8]) {
        self.id = id
        self.receivedAt = receivedAt
        self.deadline = deadline
        self.targets = targets
        self.envelope = envelope
    }
}

// Payload layout (all integers big-endian):
//   1 ACCEPTED           id (16), received at (i64 ms), flags (u8: bit 0 deadline), [deadline (i64 ms)],
//                        target count (u8), each: node (u8 length + ASCII), copy rule (u8 length + ASCII, 0 = none),
//                        envelope (u32 length + bytes)
//   2 DELIVERED          id (16), node (u8 length + ASCII)
//   3 DEADLINE_BREACHED  id (16)
extension SpoolRecord {
    func payload() -> [UInt8] {
        var out: [UInt8] = []
        switch self {
        case .accepted(let message):
            out.reserveCapacity(64 + message.envelope.count)
            out.append(1)
            out.appendUUID(message.id)
            out.appendInteger(UInt64(bitPattern: message.receivedAt.millisecondsSinceEpoch))
            out.append(message.deadline == nil ? 0 : 1)
            if let deadline = message.deadline {
                out.appendInteger(UInt64(bitPattern: deadline.millisecondsSinceEpoch))
            }
            out.append(UInt8(message.targets.count))
            for target in message.targets {
                out.appendShort(target.node.rawValue)
                out.appendShort(target.copyRule ?? "")
            }
            out.appendInteger(UInt32(message.envelope.count))
            out.append(contentsOf: message.envelope)
        case .delivered(let id, let node):
            out.append(2)
            out.appendUUID(id)
            out.appendShort(node.rawValue)
        case .deadlineBreached(let id):
            out.append(3)
            out.appendUUID(id)
        }
        return out
    }

    /// Reads a payload whose checksum held; `nil` when it is not a record (which a checksum that held makes a bug or
    /// a deliberate change, not a torn write).
    init?(payload: ArraySlice<UInt8>) {
        var reader = PayloadReader(bytes: payload)
        guard let type = reader.byte(), let id = reader.uuid() else { return nil }
        switch type {
        case 1:
            guard let received = reader.integer(UInt64.self), let flags = reader.byte(), flags & ~1 == 0 else {
                return nil
            }
            var deadline: Timestamp?
            if flags & 1 != 0 {
                guard let at = reader.integer(UInt64.self) else { return nil }
                deadline = Timestamp(millisecondsSinceEpoch: Int64(bitPattern: at))
            }
            guard let count = reader.byte() else { return nil }
            var targets: [AcceptedMessage.Target] = []
            for _ in 0..<count {
                guard let node = reader.short().flatMap(NodeID.init), let rule = reader.short() else { return nil }
                targets.append(.init(node: node, copyRule: rule.isEmpty ? nil : rule))
            }
            guard let length = reader.integer(UInt32.self), let envelope = reader.take(Int(length)), reader.isAtEnd
            else { return nil }
            self = .accepted(
                AcceptedMessage(
                    id: id,
                    receivedAt: Timestamp(millisecondsSinceEpoch: Int64(bitPattern: received)),
                    deadline: deadline,
                    targets: targets,
                    envelope: Array(envelope)
                )
            )
        case 2:
            guard let node = reader.short().flatMap(NodeID.init), reader.isAtEnd else { return nil }
            self = .delivered(message: id, to: node)
        case 3:
            guard reader.isAtEnd else { return nil }
            self = .deadlineBreached(message: id)
        default:
            return nil
        }
    }
}

private struct PayloadReader {
    let bytes: ArraySlice<UInt8>
    var offset: Int

    init(bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        offset = bytes.startIndex
    }

    var isAtEnd: Bool { offset == bytes.endIndex }

    mutating func take(_ count: Int) -> ArraySlice<UInt8>? {
        guard count >= 0, bytes.endIndex - offset >= count else { return nil }
        defer { offset += count }
        return bytes[offset..<offset + count]
    }

    mutating func byte() -> UInt8? { take(1)?.first }

    mutating func integer<Integer: FixedWidthInteger>(_ type: Integer.Type) -> Integer? {
        take(MemoryLayout<Integer>.size)?.reduce(0) { $0 << 8 | Integer($1) }
    }

    mutating func short() -> String? {
        guard let count = byte(), let text = take(Int(count)) else { return nil }
        return String(validating: text, as: UTF8.self)
    }

    mutating func uuid() -> UUID? {
        guard let b = take(16).map(Array.init) else { return nil }
        return UUID(
            uuid: (b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15])
        )
    }
}

extension [UInt8] {
    fileprivate mutating func appendInteger<Integer: FixedWidthInteger>(_ value: Integer) {
        Swift.withUnsafeBytes(of: value.bigEndian) { append(contentsOf: $0) }
    }

    fileprivate mutating func appendShort(_ text: String) {
        let bytes = Array(text.utf8.prefix(255))
        append(UInt8(bytes.count))
        append(contentsOf: bytes)
    }

    fileprivate mutating func appendUUID(_ id: UUID) {
        Swift.withUnsafeBytes(of: id.uuid) { append(contentsOf: $0) }
    }
}
