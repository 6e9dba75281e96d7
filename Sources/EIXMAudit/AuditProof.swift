import Crypto
import EIXMMerkle
import EIXMModel
import Foundation

/// A proof about an audit log that anyone can check without the log, with the router's public key: that records
/// are in the log (inclusion proofs against a signed tree head), or that an older tree head is a prefix of a newer
/// one (a consistency proof). Written by `eixm audit prove`, checked by `eixm audit check`.
public struct AuditProof: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        case inclusion, consistency
    }

    /// One record and its inclusion proof: `record` is the line as written (without its newline), its leaf hash
    /// SHA-256(0x00 || record), at `index` (its seq) in the tree of `treeHead`.
    public struct Included: Sendable, Hashable, Codable {
        public let index: UInt64
        public let record: String
        public let proof: [String]

        public init(index: UInt64, record: String, proof: [String]) {
            self.index = index
            self.record = record
            self.proof = proof
        }
    }

    public let kind: Kind
    /// The signed tree head everything is proven against.
    public let treeHead: AuditTreeHead
    /// For inclusion: the message whose records these are, and the records.
    public let messageID: String?
    public let records: [Included]?
    /// For consistency: the older tree (its size and root, and its signed tree head when the log holds one of that
    /// size), and the proof's hashes.
    public let oldSize: UInt64?
    public let oldRoot: String?
    public let oldTreeHead: AuditTreeHead?
    public let proof: [String]?

    enum CodingKeys: String, CodingKey {
        case kind, records, proof, treeHead, oldSize, oldRoot, oldTreeHead
        case messageID = "messageId"
    }

    public init(treeHead: AuditTreeHead, messageID: String, records: [Included]) {
        kind = .inclusion
        self.treeHead = treeHead
        self.messageID = messageID
        self.records = records
        oldSize = nil
        oldRoot = nil
        oldTreeHead = nil
        proof = nil
    }

    public init(treeHead: AuditTreeHead, oldSize: UInt64, oldRoot: String, oldTreeHead: AuditTreeHead?, proof: [String])
    {
        kind = .consistency
        self.treeHead = treeHead
        messageID = nil
        records = nil
        self.oldSize = oldSize
        self.oldRoot = oldRoot
        self.oldTreeHead = oldTreeHead
        self.proof = proof
    }

    /// Why a proof does not hold.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }

    /// Checks the proof with the router's key: the tree head's signature, then each inclusion proof (and that each
    /// record is one of the message's), or the consistency proof (and the old tree head's signature when there is
    /// one). Returns what was proven, in words.
    ///
    /// With `receipts` (a check of a recipient's receipt with its certified key), every `acknowledged` record
    /// proven must hold its recipient's receipt, signed by it, naming the digests of the message's arrival
    /// (its decision record, or in older logs its `received` record) when the proof has one.
    public func check(
        key: Curve25519.Signing.PublicKey,
        receipts: (@Sendable (NodeID, DeliveryReceipt) -> Bool)? = nil
    ) throws(Failure) -> String {
        guard treeHead.isSigned(by: key) else {
            throw Failure("the tree head's signature does not verify with the router's key")
        }
        let root = treeHead.rootBytes
        switch kind {
        case .inclusion:
            guard let messageID, let records, !records.isEmpty else {
                throw Failure("an inclusion proof without records")
            }
            for included in records {
                guard included.record.contains(#""message_id":"\#(messageID)""#) else {
                    throw Failure("record \(included.index) is not a record of message \(messageID)")
                }
                guard Self.seq(of: included.record) == included.index else {
                    throw Failure("record \(included.index): its seq is not its index in the tree")
                }
                do {
                    try MerkleProof.verifyInclusion(
                        index: included.index,
                        size: treeHead.treeSize,
                        leafHash: MerkleTree.leafHash(Array(included.record.utf8)),
                        proof: try Self.hashes(included.proof),
                        root: root
                    )
                } catch {
                    throw Failure("record \(included.index): \(error)")
                }
            }
            let proven =
                "\(records.count) record(s) of message \(messageID) are records \(records.map { "\($0.index)" }.joined(separator: ", ")) of the log whose \(treeHead.treeSize)-record tree head the router signed at \(treeHead.time)"
            guard let receipts else { return proven }
            let signers = try Self.checkReceipts(of: records, with: receipts)
            return proven
                + (signers.isEmpty
                    ? "; no delivery of it was acknowledged"
                    : "; receipts signed by \(signers.joined(separator: ", ")) with their certified keys")
        case .consistency:
            guard let oldSize, let oldRoot, let proof else { throw Failure("a consistency proof without the old tree") }
            if let oldTreeHead {
                guard oldTreeHead.isSigned(by: key), oldTreeHead.treeSize == oldSize, oldTreeHead.root == oldRoot else {
                    throw Failure("the old tree head is not signed by the router's key, or is not the old tree's")
                }
            }
            do {
                try MerkleProof.verifyConsistency(
                    oldSize: oldSize,
                    newSize: treeHead.treeSize,
                    oldRoot: AuditRecordFormat.bytes(hex: Array(oldRoot.utf8)) ?? [],
                    newRoot: root,
                    proof: try Self.hashes(proof)
                )
            } catch {
                throw Failure("\(error)")
            }
            return
                "the log's first \(oldSize) records (root \(oldRoot.prefix(16))...) are the first records of its \(treeHead.treeSize)-record tree head, signed at \(treeHead.time)"
        }
    }

    /// Checks the receipt of every `acknowledged` record among `records`; returns the recipients, in record order.
    static func checkReceipts(
        of records: [Included],
        with verify: (NodeID, DeliveryReceipt) -> Bool
    ) throws(Failure) -> [String] {
        var decoded: [AuditRecord] = []
        for included in records {
            do {
                decoded.append(try JSONDecoder().decode(AuditRecord.self, from: Data(included.record.utf8)))
            } catch {
                throw Failure("record \(included.index) is not an audit record: \(error)")
            }
        }
        let received = decoded.first(where: \.isArrival)
        var signers: [String] = []
        for record in decoded where record.event == AuditEvent.Kind.acknowledged.rawValue {
            let found: (recipient: NodeID, receipt: DeliveryReceipt)?
            do {
                found = try record.receipt()
            } catch {
                throw Failure("\(error)")
            }
            guard let (recipient, receipt) = found else {
                throw Failure(
                    "record \(record.seq): the delivery to \(record.node ?? "?") was acknowledged without a receipt"
                )
            }
            if let received, received.headerDigest != record.headerDigest || received.bodyDigest != record.bodyDigest {
                throw Failure(
                    "record \(record.seq): \(recipient)'s receipt names other digests than the message received in record \(received.seq)"
                )
            }
            guard verify(recipient, receipt) else {
                throw Failure("record \(record.seq): \(recipient)'s receipt does not verify with its certified key")
            }
            signers.append(recipient.rawValue)
        }
        return signers
    }

    static func hashes(_ texts: [String]) throws(MerkleProof.Failure) -> [[UInt8]] {
        try texts.map { text throws(MerkleProof.Failure) in
            guard let bytes = AuditRecordFormat.bytes(hex: Array(text.utf8)), bytes.count == 32 else {
                throw MerkleProof.Failure("'\(text.prefix(70))' is not a hash (64 lower-case hex digits)")
            }
            return bytes
        }
    }

    /// The `seq` a record line starts with.
    static func seq(of record: String) -> UInt64? {
        guard record.hasPrefix(#"{"seq":"#) else { return nil }
        return UInt64(record.dropFirst(7).prefix { $0.isNumber })
    }

    /// The proof as pretty JSON, keys sorted.
    public func json() -> Data {
        ((try? SnakeCaseJSON.encoder().encode(self)) ?? Data()) + Data("\n".utf8)
    }

    /// Reads a proof as ``json()`` writes it.
    public static func decoded(from data: Data) throws -> AuditProof {
        try SnakeCaseJSON.decoder().decode(AuditProof.self, from: data)
    }
}
