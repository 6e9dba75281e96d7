import EIXMModel
import Foundation

extension ExerciseNode {
    /// Sends new messages from the node's traffic mix at its rate (a Poisson process in simulated time) until
    /// `end`, from the node's first connection on.
    func generateTraffic(until end: Timestamp) async {
        let rate = traffic.ratePerHour
        guard rate > 0 else { return }
        // Messages carry the router's time, known from its first WELCOME.
        guard await firstConnection() else { return }
        while !Task.isCancelled, !stopped {
            let hours = -log(1 - Double.random(in: 0..<1, using: &random)) / rate
            let next = Timestamp(millisecondsSinceEpoch: clock.now.millisecondsSinceEpoch + Int64(hours * 3_600_000))
            guard next < end else { return }
            do { try await clock.sleep(until: next) } catch { return }
            guard !stopped else { return }
            if let header = traffic.next(id: newID(), at: clock.now) {
                transmit(header, body: TrafficMix.body(for: header))
            }
        }
    }
}

extension ExerciseNode {
    /// Sends a scripted message (a scenario's inject): the header as written, with a new ID, this node as sender,
    /// the current simulated time and, when it answers an earlier inject, that message's ID. Returns the ID.
    public func inject(_ template: Header, body: String, inReplyTo: UUID?) -> UUID {
        var header = template
        header.id = newID()
        header.sender = nodeID
        header.createdAt = clock.now
        if let inReplyTo { header.inReplyTo = inReplyTo }
        transmit(header, body: body)
        return header.id
    }
}
