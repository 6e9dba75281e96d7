import DequeModule
import EIXMModel
import Foundation

/// What the rules need to remember of earlier messages: each accepted message's header, when it was received,
/// and for requests their deadline and whether a clarification request has paused it.
///
/// The engine only reads the context; the caller records each accepted message with ``record(_:decision:receivedAt:)``
/// after deciding it, so that a later reply, refusal or forward is judged against it.
public struct CaseContext: Sendable {
    /// A remembered message: immutable and shared, so that a lookup copies a reference, not a header.
    public final class Message: Sendable {
        public let header: Header
        public let receivedAt: Timestamp

        init(header: Header, receivedAt: Timestamp) {
            self.header = header
            self.receivedAt = receivedAt
        }
    }

    /// One remembered message and the state of its deadline.
    public struct Entry: Sendable {
        public let message: Message
        public var header: Header { message.header }
        public var receivedAt: Timestamp { message.receivedAt }
        /// For a request: when its answer is due, if the rules set a deadline.
        public internal(set) var deadline: Timestamp?
        /// For a request whose deadline is paused by a clarification request (DL-06): since when.
        public internal(set) var pausedSince: Timestamp?
        /// For a request: whether judicial authorisation lets the deadline be exceeded (DL-05).
        public internal(set) var extended: Bool
    }

    private var entries = UUIDMap<Entry>()
    /// The remembered messages, oldest first.
    private var order: Deque<UUID> = []
    /// The most messages remembered: beyond it the oldest is forgotten, and what refers to it is judged without it.
    public let capacity: Int

    public init(capacity: Int = 250_000) { self.capacity = max(capacity, 1) }

    /// The remembered message with this ID.
    public func entry(_ id: UUID) -> Entry? { entries[id] }

    /// The remembered messages by ID, as a judgement reads them: one reference, cheap to keep for a decision.
    struct Entries {
        private let byID: UUIDMap<Entry>

        init(_ byID: UUIDMap<Entry>) { self.byID = byID }

        func entry(_ id: UUID) -> Entry? { byID[id] }
    }

    var lookup: Entries { Entries(entries) }

    public var count: Int { entries.count }

    /// Remembers an accepted message and applies the deadline duties of its decision (set, pause, resume,
    /// extend). Rejected messages are not remembered: nothing can refer to them.
    public mutating func record(_ header: Header, decision: Decision, receivedAt: Timestamp) {
        guard decision.verdict == .accept else { return }
        var entry = Entry(
            message: Message(header: header, receivedAt: receivedAt),
            deadline: nil,
            pausedSince: nil,
            extended: false
        )
        for obligation in decision.obligations {
            switch obligation.kind {
            case .deadline:
                entry.deadline = obligation.at
            case .pauseDeadline:
                if let request = obligation.message, entries[request]?.pausedSince == nil {
                    entries[request]?.pausedSince = receivedAt
                }
            case .resumeDeadline:
                if let request = obligation.message, let since = entries[request]?.pausedSince {
                    let paused = receivedAt.millisecondsSinceEpoch - since.millisecondsSinceEpoch
                    entries[request]?.deadline?.millisecondsSinceEpoch += paused
                    entries[request]?.pausedSince = nil
                }
            case .extendDeadline:
                // With a time: the deadline moves there (a legacy postponement); without: it may be exceeded.
                if let request = obligation.message {
                    if let until = obligation.at {
                        entries[request]?.deadline = until
                    } else {
                        entries[request]?.extended = true
                    }
                }
            default:
                break
            }
        }
        if entries.updateValue(entry, forKey: header.id) == nil { order.append(header.id) }
        while order.count > capacity { entries[order.removeFirst()] = nil }
    }
}
