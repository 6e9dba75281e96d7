import EIXMTransport
import Foundation

/// The messages waiting for one recipient, oldest first: not yet sent (the node is offline) or sent and not yet
/// acknowledged. They are sent again, in order, when the node reconnects: delivery is at least once.
struct Outbox {
    private var order: [UUID] = []
    private var head = 0
    private var frames: [UUID: Frame] = [:]

    var count: Int { frames.count }

    mutating func append(_ id: UUID, _ frame: Frame) {
        if frames.updateValue(frame, forKey: id) == nil { order.append(id) }
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

    /// Every waiting frame, oldest first.
    var pending: [Frame] { order[head...].compactMap { frames[$0] } }
}
