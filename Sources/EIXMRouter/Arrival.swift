import EIXMModel
import EIXMTransport
import Foundation

/// A message as the router actor receives it from a connection's task: verified there (with its digests), or refused
/// before it could be judged (unreadable, impersonating, a bad signature). `started` is when its frame was taken
/// from the connection, for the latency figure.
enum Arrival {
    case verified(Envelope, wire: [UInt8], digests: MessageDigests, started: ContinuousClock.Instant)
    case refused(id: UUID, header: Header?, check: RouterCheck, detail: String, started: ContinuousClock.Instant)
}
