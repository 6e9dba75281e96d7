import Crypto
import EIXMModel
import Foundation

/// A signed tree head: the Merkle tree root (RFC 9162 hashing) of the first `treeSize` records of an audit log, the
/// hash of the last of them (the chain's head), when, whether the log was closed there, and the router's Ed25519
/// signature over all of it. Every checkpoint record is one; the router also writes its latest to a witness file
/// beside the log (`tree-head.json`) and into the run's report, so that a log cut short, wiped or rewritten since
/// can be told from the one the router wrote.
public struct AuditTreeHead: Sendable, Hashable, Codable {
    public let treeSize: UInt64
    /// The Merkle tree root, 64 hex digits.
    public let root: String
    /// The `hash` of record `treeSize - 1` (64 zeros for the empty tree), 64 hex digits.
    public let chainHead: String
    /// The checkpoint's `real_time`.
    public let time: String
    /// Written when the log was closed: no record follows in this life of the log.
    public let final: Bool
    public let signer: String
    /// The router's Ed25519 public key, hex.
    public let publicKey: String
    public let signature: String

    /// Starts every tree head signature's input.
    public static let domain: [UInt8] = Array("EIXM-AUDIT-TREE-HEAD-V1".utf8) + [0]

    /// The bytes the signature covers: the domain tag, the tree size (u64 big-endian), the root and chain head (32
    /// bytes each), the final flag (one byte, 1 or 0) and the time (its RFC 3339 text).
    public static func signingInput(
        treeSize: UInt64,
        root: [UInt8],
        chainHead: [UInt8],
        final: Bool,
        time: String
    ) -> [UInt8] {
        domain + withUnsafeBytes(of: treeSize.bigEndian, Array.init) + root + chainHead + [final ? 1 : 0]
            + Array(time.utf8)
    }

    /// Signs a tree head.
    init(treeSize: UInt64, root: [UInt8], chainHead: String, final: Bool, time: String, signer: AuditSigner) throws {
        self.treeSize = treeSize
        self.root = AuditRecordFormat.hex(root)
        self.chainHead = chainHead
        self.time = time
        self.final = final
        self.signer = signer.signer
        self.publicKey = AuditRecordFormat.hex(signer.publicKey.rawRepresentation)
        let head = AuditRecordFormat.bytes(hex: Array(chainHead.utf8)) ?? []
        signature = AuditRecordFormat.hex(
            try signer.signature(
                for: Self.signingInput(treeSize: treeSize, root: root, chainHead: head, final: final, time: time)
            )
        )
    }

    public init(
        treeSize: UInt64,
        root: String,
        chainHead: String,
        time: String,
        final: Bool,
        signer: String,
        publicKey: String,
        signature: String
    ) {
        self.treeSize = treeSize
        self.root = root
        self.chainHead = chainHead
        self.time = time
        self.final = final
        self.signer = signer
        self.publicKey = publicKey
        self.signature = signature
    }

    /// The tree head a checkpoint record holds (the record parsed as JSON), or nil when a field is missing.
    init?(checkpoint object: [String: Any]) {
        guard let size = (object["tree_size"] as? NSNumber)?.uint64Value, let root = object["root"] as? String,
            let chainHead = object["head"] as? String, let time = object["real_time"] as? String,
            let final = object["final"] as? Bool, let signer = object["signer"] as? String,
            let key = object["public_key"] as? String, let signature = object["signature"] as? String
        else { return nil }
        self.init(
            treeSize: size,
            root: root,
            chainHead: chainHead,
            time: time,
            final: final,
            signer: signer,
            publicKey: key,
            signature: signature
        )
    }

    /// The root's bytes (empty when it is not 64 hex digits).
    public var rootBytes: [UInt8] { AuditRecordFormat.bytes(hex: Array(root.utf8)) ?? [] }

    /// Whether the signature verifies with the tree head's own key, or with `key` when given.
    public func isSigned(by key: Curve25519.Signing.PublicKey? = nil) -> Bool {
        guard let own = AuditRecordFormat.bytes(hex: Array(publicKey.utf8)),
            let publicKey = key ?? (try? Curve25519.Signing.PublicKey(rawRepresentation: own)),
            let signature = AuditRecordFormat.bytes(hex: Array(signature.utf8)),
            let head = AuditRecordFormat.bytes(hex: Array(chainHead.utf8)), head.count == 32, rootBytes.count == 32
        else { return false }
        return publicKey.isValidSignature(
            signature,
            for: Self.signingInput(treeSize: treeSize, root: rootBytes, chainHead: head, final: final, time: time)
        )
    }

    /// The tree head as the witness file holds it: pretty JSON, snake_case keys sorted.
    public func json() -> Data {
        ((try? SnakeCaseJSON.encoder().encode(self)) ?? Data()) + Data("\n".utf8)
    }

    /// Reads a tree head from a witness file, or from a run report holding one under `auditTreeHead`.
    public static func read(from url: URL) throws -> AuditTreeHead {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw AuditError(path: url.path, "cannot read the tree head: \(error.localizedDescription)")
        }
        if let head = try? SnakeCaseJSON.decoder().decode(AuditTreeHead.self, from: data) { return head }
        struct Report: Decodable { let auditTreeHead: AuditTreeHead }
        if let report = try? SnakeCaseJSON.decoder().decode(Report.self, from: data) { return report.auditTreeHead }
        throw AuditError(
            path: url.path,
            "not a tree head: expected a JSON object with tree_size, root, chain_head, time, final, signer, public_key and signature (or a run report holding one as audit_tree_head)"
        )
    }

    /// Writes the tree head to `url` so that a reader sees the old file or the new one, never a part: a temporary
    /// file beside it, synced, then renamed over it.
    func write(to url: URL) throws {
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp")
        let bytes = Array(json())
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else {
            throw AuditError(path: temporary.path, "cannot open: \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        let written = bytes.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(descriptor) == 0 else {
            throw AuditError(path: temporary.path, "cannot write the tree head: \(String(cString: strerror(errno)))")
        }
        guard rename(temporary.path, url.path) == 0 else {
            throw AuditError(path: url.path, "cannot replace the tree head: \(String(cString: strerror(errno)))")
        }
    }
}
