import EIXMModel
import EIXMSpool
import Foundation

/// What an `eixm node` process must remember across its own crash (`--state DIR`), in a file of checksummed records
/// synced before the node acts on what they say: the deliveries it acted on (recorded before their ACK, so that a
/// redelivery after a restart is acknowledged and not acted on again), the messages the router has not answered
/// (sent again, with their IDs, after a restart), and the answers it has scheduled and not yet sent (with the
/// clarification requests they wait on).
///
/// Opening replays the file, cuts a torn tail, and compacts it to what is still needed.
public final class NodeJournal {
    /// One record.
    enum Entry: Codable, Sendable {
        case actedOn(UUID)
        /// Written before the message is sent.
        case sent(UUID, envelope: Data)
        case answered(UUID)
        case scheduled(Int, kind: String, detail: String?, request: Data, at: Int64)
        case answerSent(Int)
        /// A clarification request this node sent about a request it received.
        case clarifying(UUID, request: Data)
    }

    /// What the journal holds after opening.
    struct Remembered {
        var actedOn: Set<UUID> = []
        /// Unanswered messages, in the order they were sent.
        var unanswered: [(id: UUID, envelope: [UInt8])] = []
        /// Scheduled answers not yet sent, by number.
        var answers: [Int: ScheduledAnswer] = [:]
        var clarifying: [UUID: Header] = [:]
        var nextAnswerNumber = 0
    }

    public static let fileName = "node-journal.log"

    private let file: RecordFile
    private(set) var remembered: Remembered
    /// What opening cut, in a sentence; `nil` when the journal was whole.
    public let cut: String?
    private static let encoder = JSONEncoder()

    /// Opens (or creates) the journal in `directory`, replays it, and compacts it.
    public init(directory: URL, repair: Bool = false) throws(SpoolError) {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw SpoolError(
                .io,
                path: directory.path,
                "cannot create the node's state folder: \(error.localizedDescription)"
            )
        }
        let decoder = JSONDecoder()
        var entries: [Entry] = []
        let (file, recovery) = try RecordFile.open(
            path: directory.appendingPathComponent(Self.fileName).path,
            magic: "EIXMNOD1",
            kind: "a node journal record",
            repair: repair
        ) { payload in
            guard let entry = try? decoder.decode(Entry.self, from: Data(payload)) else { return false }
            entries.append(entry)
            return true
        }
        self.file = file
        cut = recovery.cut
        remembered = Self.replay(entries)
        try file.rewrite(Self.entries(of: remembered).map(Self.payload))
    }

    /// Messages acted on, unanswered and answers still to send, for the node's first log line.
    public var summary: String {
        "\(remembered.actedOn.count) message(s) acted on, \(remembered.unanswered.count) unanswered, \(remembered.answers.count) answer(s) to send"
    }

    /// Appends entries and syncs them.
    func record(_ entries: [Entry]) throws(SpoolError) {
        try file.append(entries.map(Self.payload))
    }

    private static func payload(_ entry: Entry) -> [UInt8] {
        // An enum of UUIDs, strings, integers and data always encodes.
        Array((try? encoder.encode(entry)) ?? Data())
    }

    private static func replay(_ entries: [Entry]) -> Remembered {
        var remembered = Remembered()
        var sent: [UUID: (order: Int, envelope: [UInt8])] = [:]
        for (order, entry) in entries.enumerated() {
            switch entry {
            case .actedOn(let id): remembered.actedOn.insert(id)
            case .sent(let id, let envelope): sent[id] = (order, Array(envelope))
            case .answered(let id): sent[id] = nil
            case .scheduled(let number, let kind, let detail, let request, let at):
                remembered.nextAnswerNumber = max(remembered.nextAnswerNumber, number + 1)
                guard let kind = ScheduledAnswer.Kind(name: kind, detail: detail),
                    let header = try? Header(canonicalBytes: Array(request))
                else { continue }
                remembered.answers[number] = ScheduledAnswer(
                    number: number,
                    kind: kind,
                    to: header,
                    at: Timestamp(millisecondsSinceEpoch: at)
                )
            case .answerSent(let number): remembered.answers[number] = nil
            case .clarifying(let id, let request):
                if let header = try? Header(canonicalBytes: Array(request)) { remembered.clarifying[id] = header }
            }
        }
        remembered.unanswered = sent.sorted { $0.value.order < $1.value.order }.map { ($0.key, $0.value.envelope) }
        return remembered
    }

    private static func entries(of remembered: Remembered) -> [Entry] {
        var entries = remembered.actedOn.sorted { $0.uuidString < $1.uuidString }.map(Entry.actedOn)
        entries += remembered.unanswered.map { Entry.sent($0.id, envelope: Data($0.envelope)) }
        entries += remembered.clarifying.compactMap { id, header in
            (try? header.canonicalBytes()).map { Entry.clarifying(id, request: Data($0)) }
        }
        entries += remembered.answers.values.sorted { $0.number < $1.number }.compactMap(\.journalEntry)
        return entries
    }
}

extension ScheduledAnswer {
    /// The journal's record of it; `nil` if the request's header cannot be encoded (it came off the wire, so it can).
    var journalEntry: NodeJournal.Entry? {
        guard let request = try? to.canonicalBytes() else { return nil }
        return .scheduled(
            number,
            kind: kind.name,
            detail: kind.detail,
            request: Data(request),
            at: at.millisecondsSinceEpoch
        )
    }
}

extension ScheduledAnswer.Kind {
    var name: String {
        switch self {
        case .reply: "reply"
        case .refusal: "refusal"
        case .clarificationRequest: "clarification-request"
        case .clarification: "clarification"
        case .delayNotice: "delay-notice"
        case .hitNotification: "hit-notification"
        }
    }

    var detail: String? {
        switch self {
        case .refusal(let reason): reason.rawValue
        case .hitNotification(let node): node.rawValue
        default: nil
        }
    }

    init?(name: String, detail: String?) {
        switch name {
        case "reply": self = .reply
        case "refusal":
            guard let reason = detail.flatMap(RefusalReason.init(rawValue:)) else { return nil }
            self = .refusal(reason)
        case "clarification-request": self = .clarificationRequest
        case "clarification": self = .clarification
        case "delay-notice": self = .delayNotice
        case "hit-notification":
            guard let node = detail.flatMap(NodeID.init) else { return nil }
            self = .hitNotification(to: node)
        default: return nil
        }
    }
}
