/// The result of verifying an audit folder: counts, the last checkpoint, and the first problem found.
public struct AuditVerification: Sendable, CustomStringConvertible {
    /// The first thing wrong, located to a segment file and line.
    public struct Problem: Sendable, Hashable, CustomStringConvertible {
        public enum Kind: String, Sendable, Hashable {
            case emptyLog = "empty log"
            case missingSegment = "missing segment"
            case malformed = "malformed record"
            case hashMismatch = "hash mismatch"
            case brokenLink = "broken chain link"
            case gap = "sequence gap"
            case reordering = "records out of order"
            case truncation = "truncated record"
            case badSignature = "bad checkpoint signature"
            case keyMismatch = "unexpected signing key"
            case unsealedTail = "records not sealed by a checkpoint"
        }

        public let kind: Kind
        public let segment: String
        public let line: Int
        public let seq: UInt64?
        public let detail: String

        public var description: String {
            let at = seq.map { ", seq \($0)" } ?? ""
            return "\(segment) line \(line)\(at): \(kind.rawValue): \(detail)"
        }
    }

    public var segments = 0
    public var records = 0
    public var checkpoints = 0
    /// The last checkpoint's sequence number and simulated time.
    public var lastCheckpoint: (seq: UInt64, simulatedTime: String)?
    /// The key that signed the checkpoints (hex) and who it names.
    public var signer: String?
    public var signingKey: String?
    public var problem: Problem?

    public var isValid: Bool { problem == nil }

    public var description: String {
        var lines = ["\(segments) segment(s), \(records) record(s), \(checkpoints) checkpoint(s)"]
        if let lastCheckpoint { lines.append("last checkpoint: seq \(lastCheckpoint.seq) at \(lastCheckpoint.simulatedTime) (simulated)") }
        if let signer, let signingKey { lines.append("signed by \(signer), Ed25519 key \(signingKey)") }
        lines.append(problem.map { "FAILED: \($0)" } ?? "OK: every hash link, checkpoint signature and sequence number checks out")
        return lines.joined(separator: "\n")
    }
}
