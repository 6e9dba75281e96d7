import EIXMTransport
import Foundation

/// The messages waiting for one recipient, oldest first: not yet stored (held until the spool and the audit log have
/// them), not yet sent (the node is offline) or sent and not yet acknowledged. They are sent again, in order, when
/// the node reconnects: delivery is at least once.
struct Outbox {
    private var order: [UUID] = []
    private var head = 0
    private var frames: [UUID: (frame: Frame, stored: Bool, digests: MessageDigests)] = [:]

    var count: Int { frames.count }

    /// Adds a delivery of a message with these digests (what the recipient's receipt must name); one that is not
    /// `stored` yet is neither sent nor sent again until ``store(_:)``.
    mutating func append(_ id: UUID, _ frame: Frame, digests: MessageDigests, stored: Bool = true) {
        if frames.updateValue((frame, stored, digests), forKey: id) == nil { order.append(id) }
    }

    /// The digests of a waiting delivery; `nil` when it is not waiting.
    func digests(of id: UUID) -> MessageDigests? { frames[id]?.digests }

    /// Marks a delivery stored and returns its frame; `nil` when it is not waiting (acknowledged meanwhile).
    mutating func store(_ id: UUID) -> Frame? {
        guard let entry = frames[id] else { return nil }
        frames[id] = (entry.frame, true, entry.digests)
        return entry.frame
    }

    /// Removes an acknowledged message; `false` when it was not waiting.
    @discardableResult
    mutating func remove(_ id: UUID) -> Bool {
        guard frames.removeValue(forKey: id) != nil else { return false }
        while head < order.count, frames[order[head]] == nil { head += 1 }
        if head > 1024, head * 2 > order.count {
            order.removeFirst(head)
            head = 0
        }
        return true
    }

    /// Every stored waiting delivery, oldest first, with its message ID.
    var pending: [(id: UUID, frame: Frame)] {
        order[head...].compactMap { id in frames[id].flatMap { $0.stored ? (id, $0.frame) : nil } }
    }
}

extension Frame {
    /// The rule that required this delivery as a copy; `nil` for a delivery to an addressee, or another frame.
    var copyRule: String? {
        guard case .delivery(let delivery) = self else { return nil }
        return delivery.copyRule
    }
}
