import EIXMModel
import Foundation

/// One record of the audit log as read back for queries: the fields people filter and count on, and the line as
/// written.
public struct AuditRecord: Sendable, Decodable {
    public let seq: UInt64
    public let realTime: String
    public let simulatedTime: String
    public let event: String
    public let messageID: String?
    public let caseID: String?
    public let inReplyTo: String?
    public let sender: String?
    public let recipients: [String]?
    public let channel: String?
    public let messageType: String?
    public let handlingCodes: [String]?
    public let containsPersonalData: Bool?
    public let rules: [String]?
    public let reasons: [String]?
    public let claimed: String?
    public let certified: String?
    public let node: String?
    public let certificateFingerprint: String?
    public let peerAddress: String?
    public let headerDigest: String?
    public let bodyDigest: String?
    /// For `acknowledged`: the recipient's receipt (with the header and body digests).
    public let receivedAt: String?
    public let receiptScheme: String?
    public let receiptSignature: String?
    /// Where the record is, and its text.
    public internal(set) var segment = ""
    public internal(set) var line = 0
    public internal(set) var text = ""

    enum CodingKeys: String, CodingKey {
        case seq, event, sender, recipients, channel, rules, reasons, claimed, certified, node
        case realTime = "real_time"
        case simulatedTime = "simulated_time"
        case messageID = "message_id"
        case caseID = "case_id"
        case inReplyTo = "in_reply_to"
        case messageType = "msg_type"
        case handlingCodes = "handling_codes"
        case containsPersonalData = "contains_personal_data"
        case certificateFingerprint = "certificate_sha256"
        case peerAddress = "peer_address"
        case headerDigest = "header_sha256"
        case bodyDigest = "body_sha256"
        case receivedAt = "received_at"
        case receiptScheme = "receipt_scheme"
        case receiptSignature = "receipt_signature"
    }

    /// Whether the record is a message's arrival at the router: the record of what became of a verified message
    /// (`accepted`, `rejected` or `duplicate`, with the header and body digests), or, in logs written before the
    /// arrival was folded into it, the separate `received` record (the decision records then had no digests). So
    /// each arrival counts once in either kind of log; a message refused before it could be verified (a bad
    /// signature, an unreadable envelope) has a `rejected` record without digests, and no arrival.
    public var isArrival: Bool {
        guard headerDigest != nil else { return false }
        switch event {
        case "accepted", "rejected", "duplicate", "received": return true
        default: return false
        }
    }

    /// Every node the record names.
    public var nodes: [String] { [sender, node, claimed, certified].compactMap { $0 } + (recipients ?? []) }
}

/// Reads every record of an audit folder, in order; lines that cannot be read are reported, never skipped silently.
public enum AuditReader {
    public struct Unreadable: Sendable, CustomStringConvertible {
        public let segment: String
        public let line: Int
        public let reason: String
        public var description: String { "\(segment) line \(line): \(reason)" }

        public init(segment: String, line: Int, reason: String) {
            self.segment = segment
            self.line = line
            self.reason = reason
        }
    }

    /// Every record of the folder, in memory: for small logs and tests. ``forEach(directory:_:)`` streams.
    public static func read(directory: URL) throws -> (records: [AuditRecord], unreadable: [Unreadable]) {
        var read: [AuditRecord] = []
        let unreadable = try forEach(directory: directory) { read.append($0) }
        return (read, unreadable)
    }

    /// Calls `body` with each record of the folder in order, one segment in memory at a time; returns the lines
    /// that could not be read.
    ///
    /// With `containing`, a line that lacks any of those byte strings is not decoded (it cannot match the
    /// question): it is only checked to have a record's shape (`{"seq":` ... `"}`), and reported when it has not.
    public static func forEach(
        directory: URL,
        containing needles: [[UInt8]] = [],
        _ body: (AuditRecord) throws -> Void
    ) throws -> [Unreadable] {
        var unreadable: [Unreadable] = []
        for segment in try AuditSegments.list(directory) {
            let bytes = try AuditSegments.read(directory.appendingPathComponent(segment.name))
            unreadable += try records(in: bytes, segment: segment.name, containing: needles, body)
        }
        return unreadable
    }

    /// After a crash, the folder's `accepted` records against the messages a spool holds (`ids`, `newest` the last
    /// it stored): which of `ids` a record names, and, in order, the records of messages not among `ids` accepted
    /// after both the last record naming `newest` and the last `restored` record. A router stores each commit in both
    /// logs, one commit at a time, and what came before its last restart was looked at then, so those are the
    /// acceptances of a last commit that the audit log stored and the spool did not. When `newest` is given and no
    /// record names it, the spool is ahead, and there are none.
    public static func acceptances(
        against ids: Set<UUID>,
        newest: UUID?,
        directory: URL
    ) throws -> (named: Set<UUID>, unspooled: [AuditRecord]) {
        var lastRestart: UInt64?
        _ = try forEach(directory: directory, containing: [Array(#""event":"restored""#.utf8)]) { record in
            if record.event == "restored" { lastRestart = record.seq }
        }
        var named: Set<UUID> = []
        var unspooled: [AuditRecord] = []
        var passedNewest = newest == nil
        _ = try forEach(directory: directory, containing: [Array(#""event":"accepted""#.utf8)]) { record in
            guard record.event == "accepted", let text = record.messageID, let id = UUID(uuidString: text) else {
                return
            }
            if ids.contains(id) {
                named.insert(id)
                if id == newest {
                    passedNewest = true
                    unspooled.removeAll()
                }
            } else if lastRestart.map({ record.seq > $0 }) ?? true {
                unspooled.append(record)
            }
        }
        return (named, passedNewest ? unspooled : [])
    }

    /// Reads the records of one segment's bytes.
    public static func records(
        in bytes: some Collection<UInt8>,
        segment: String
    ) -> (records: [AuditRecord], unreadable: [Unreadable]) {
        var read: [AuditRecord] = []
        let unreadable = Self.records(in: Array(bytes), segment: segment) { read.append($0) }
        return (read, unreadable)
    }

    /// Calls `body` with each record of one segment's bytes; returns the lines that could not be read.
    static func records(
        in bytes: [UInt8],
        segment: String,
        containing needles: [[UInt8]] = [],
        _ body: (AuditRecord) throws -> Void
    ) rethrows -> [Unreadable] {
        var unreadable: [Unreadable] = []
        let decoder = JSONDecoder()
        for (offset, line) in bytes.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated()
        where !line.isEmpty {
            if !needles.isEmpty, !Self.contains(line, all: needles) {
                if !(line.starts(with: AuditRecordFormat.seqMarker) && line.suffix(2).elementsEqual([0x22, 0x7D])) {
                    unreadable.append(
                        Unreadable(segment: segment, line: offset + 1, reason: "not a readable audit record")
                    )
                }
                continue
            }
            let data = Data(line)
            guard var record = try? decoder.decode(AuditRecord.self, from: data) else {
                unreadable.append(Unreadable(segment: segment, line: offset + 1, reason: "not a readable audit record"))
                continue
            }
            record.segment = segment
            record.line = offset + 1
            record.text = String(decoding: data, as: UTF8.self)
            try body(record)
        }
        return unreadable
    }

    /// Whether `line` holds every one of `needles`.
    static func contains(_ line: ArraySlice<UInt8>, all needles: [[UInt8]]) -> Bool {
        line.withUnsafeBufferPointer { haystack in
            needles.allSatisfy { needle in
                needle.withUnsafeBufferPointer { needle in Self.find(needle, in: haystack) }
            }
        }
    }

    /// Whether `needle` (not empty) occurs in `haystack`: memchr for its first byte, then memcmp.
    static func find(_ needle: UnsafeBufferPointer<UInt8>, in haystack: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = needle.first, let base = haystack.baseAddress, needle.count <= haystack.count else {
            return needle.isEmpty
        }
        var start = 0
        let last = haystack.count - needle.count
        while start <= last {
            guard let hit = memchr(base + start, Int32(first), last - start + 1) else { return false }
            let at = hit.assumingMemoryBound(to: UInt8.self) - UnsafeMutablePointer(mutating: base)
            // The second byte first: the first (a quote, mostly) is everywhere in a JSON line.
            if needle.count == 1 || base[at + 1] == needle[1], memcmp(base + at, needle.baseAddress!, needle.count) == 0
            {
                return true
            }
            start = at + 1
        }
        return false
    }
}
