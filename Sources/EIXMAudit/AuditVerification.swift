import EIXMMerkle

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
            case notClosed = "no closing checkpoint"
            case unrecordedCrash = "reopened after a crash without a recovered record"
            case cutShort = "cut short"
            case rewritten = "rewritten"
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
    /// Facts an auditor should know that are not faults: where the router restarted after a crash, and which
    /// records were sealed only after it.
    public var notes: [String] = []
    /// The Merkle tree of every record read (up to the first problem), and the last signed tree head found.
    public internal(set) var tree = MerkleTree()
    public internal(set) var lastTreeHead: AuditTreeHead?
    /// The hash of the last record read (64 zeros for none): where a writer continues the chain.
    public internal(set) var chainHead = AuditRecordFormat.zeroHash
    /// Records after the last checkpoint, and whether that checkpoint closed the log.
    public internal(set) var unsealed = 0
    public internal(set) var closed = false
    /// Where the last checkpoint ends: its segment's name and the byte offset after its line (what a recovery keeps
    /// of a log whose tail no checkpoint sealed).
    var sealedEnd: (segment: String, offset: Int)?
    /// Every record's Merkle leaf hash, 32 bytes each in order, when the caller asked for them (to build proofs).
    var leafHashes: [UInt8]?
    /// Every checkpoint's tree head, in order, collected with the leaf hashes.
    var treeHeads: [AuditTreeHead]?

    public var isValid: Bool { problem == nil }

    public var description: String {
        var lines = ["\(segments) segment(s), \(records) record(s), \(checkpoints) checkpoint(s)"]
        if let lastCheckpoint {
            lines.append("last checkpoint: seq \(lastCheckpoint.seq) at \(lastCheckpoint.simulatedTime) (simulated)")
        }
        if let signer, let signingKey { lines.append("signed by \(signer), Ed25519 key \(signingKey)") }
        if let head = lastTreeHead {
            lines.append("tree head: \(head.treeSize) record(s), root \(head.root)\(head.final ? " (final)" : "")")
        }
        lines += notes.map { "note: \($0)" }
        lines.append(
            problem.map { "FAILED: \($0)" }
                ?? "OK: every hash link, tree head, checkpoint signature and sequence number checks out"
        )
        return lines.joined(separator: "\n")
    }
}
