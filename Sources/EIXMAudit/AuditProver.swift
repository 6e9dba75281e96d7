import Crypto
import EIXMMerkle
import Foundation

/// Builds proofs from an audit log: it verifies the log first (a proof from a log that does not verify would prove
/// nothing), keeps every record's leaf hash, and proves against the log's last signed tree head.
public struct AuditProver {
    public let directory: URL
    public let treeHead: AuditTreeHead
    private let leaves: [UInt8]
    /// Signed tree heads of the log by size: an older one a consistency proof can start from.
    private let checkpoints: [UInt64: AuditTreeHead]
    /// Roots of perfect aligned subtrees of at least `cachedSubtree` leaves, computed once.
    private var cache: [Range<UInt64>: [UInt8]] = [:]
    private static let cachedSubtree: UInt64 = 256

    public struct Failure: Error, Sendable, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }

    /// Verifies the log in `directory` (with `trustedKey` when given) and makes ready to prove from it. A log that
    /// ends without a closing checkpoint is proven against its last checkpoint.
    public init(directory: URL, trustedKey: Curve25519.Signing.PublicKey?) throws {
        let verification = try AuditVerifier.verify(
            directory: directory,
            trustedKey: trustedKey,
            expected: nil,
            lastSegmentLength: nil,
            collectLeaves: true
        )
        if let problem = verification.problem, ![.unsealedTail, .notClosed].contains(problem.kind) {
            throw Failure("the log does not verify, nothing can be proven from it: \(problem)")
        }
        guard let head = verification.lastTreeHead else {
            throw Failure("the log holds no signed tree head to prove against")
        }
        self.directory = directory
        treeHead = head
        leaves = verification.leafHashes ?? []
        let checkpoints = (verification.treeHeads ?? []).map { ($0.treeSize, $0) }
        self.checkpoints = Dictionary(checkpoints) { _, last in last }
    }

    /// Every record of message `messageID` (its `message_id`), each with its inclusion proof.
    public mutating func inclusion(messageID: String) throws -> AuditProof {
        let wanted = #""message_id":"\#(messageID.lowercased())""#
        let records = try AuditSegments.lines(of: directory, containing: wanted)
        guard !records.isEmpty else { throw Failure("no record of message \(messageID) in the log") }
        var included: [AuditProof.Included] = []
        for record in records {
            guard record.index < treeHead.treeSize else {
                throw Failure(
                    "record \(record.index) of message \(messageID) comes after the last tree head (\(treeHead.treeSize) records): no signature covers it yet"
                )
            }
            let proof = try MerkleProof.inclusionRanges(index: record.index, size: treeHead.treeSize).map {
                root(of: $0)
            }
            included.append(.init(index: record.index, record: record.text, proof: proof.map(AuditRecordFormat.hex)))
        }
        return AuditProof(treeHead: treeHead, messageID: messageID.lowercased(), records: included)
    }

    /// That the log's first `oldSize` records are a prefix of the tree head's.
    public mutating func consistency(oldSize: UInt64) throws -> AuditProof {
        guard oldSize > 0, oldSize <= treeHead.treeSize else {
            throw Failure(
                "the old size must be between 1 and the tree head's \(treeHead.treeSize) records, not \(oldSize)"
            )
        }
        let proof = try MerkleProof.consistencyRanges(oldSize: oldSize, newSize: treeHead.treeSize).map { root(of: $0) }
        return AuditProof(
            treeHead: treeHead,
            oldSize: oldSize,
            oldRoot: AuditRecordFormat.hex(root(of: 0..<oldSize)),
            oldTreeHead: checkpoints[oldSize],
            proof: proof.map(AuditRecordFormat.hex)
        )
    }

    /// The Merkle tree hash of the records in `range`.
    mutating func root(of range: Range<UInt64>) -> [UInt8] {
        let count = range.count
        if count == 1 {
            let start = Int(range.lowerBound) * 32
            return Array(leaves[start..<start + 32])
        }
        let perfect = count & (count - 1) == 0 && range.lowerBound % UInt64(count) == 0
        if perfect, UInt64(count) >= Self.cachedSubtree, let known = cache[range] { return known }
        let mid = range.lowerBound + MerkleTree.split(UInt64(count))
        let hash = MerkleTree.nodeHash(root(of: range.lowerBound..<mid), root(of: mid..<range.upperBound))
        if perfect, UInt64(count) >= Self.cachedSubtree { cache[range] = hash }
        return hash
    }
}
