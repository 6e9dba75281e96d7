import ArgumentParser
import EIXMAudit
import EIXMCrypto
import EIXMModel
import Foundation

/// `eixm audit verify`: checks a log's integrity, and that it is still the log a tree head describes.
struct AuditVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check an audit log: every hash link, signed tree head, sequence number and segment, and its end.",
        discussion: """
            Prints the counts and the last tree head, or the first bad record (segment file, line, sequence number, \
            what is wrong: hash mismatch, broken link, gap, reordering, truncation, bad signature or Merkle root, \
            unsealed tail, no closing checkpoint, cut short, rewritten) and exits 1.

            Given a run folder (or its audit/ folder), the checkpoints must be signed by the router key certified \
            in the run's certificates/, and the log must still hold, unchanged, every record of the run's \
            tree-head.json: a log cut short, wiped or rewritten since fails. --pki, --tree-head or --size with \
            --root say otherwise.
            """
    )

    @Argument(help: "A run folder, or its audit/ folder.")
    var directory: String

    @Option(
        name: .long,
        help: "A PKI folder: checkpoints must carry its certified EIXM-ROUTER key (default: the run's certificates/)."
    )
    var pki: String?

    @Option(
        name: .customLong("tree-head"),
        help:
            "A signed tree head (a tree-head.json, or a report.json holding one) the log must agree with (default: the run's tree-head.json)."
    )
    var treeHead: String?

    @Option(help: "With --root: the log's first N records must have this Merkle root.")
    var size: UInt64?

    @Option(help: "With --size: the Merkle root (64 hex digits).")
    var root: String?

    func validate() throws {
        guard (size == nil) == (root == nil) else { throw ValidationError("--size and --root go together.") }
        guard treeHead == nil || size == nil else {
            throw ValidationError("Give --tree-head or --size with --root, not both.")
        }
        if let root, root.count != 64 || !root.allSatisfy(\.isHexDigit) {
            throw ValidationError("--root: expected 64 hexadecimal digits, got '\(root)'.")
        }
    }

    func run() async throws {
        let folder = try RunAuditFolder(directory)
        let trusted = try await folder.routerKey(pki: pki)
        var lines: [String] = []
        if let trusted { lines.append("router key: certified in \(trusted.from.path)") }
        var expected: AuditVerifier.Expectation?
        var head: AuditTreeHead?
        if let size, let root {
            expected = AuditVerifier.Expectation(
                treeSize: size,
                root: AuditRecordFormat.bytes(hex: Array(root.lowercased().utf8)) ?? []
            )
            lines.append("checked against: \(size) record(s), root \(root.lowercased())")
        } else if let file = treeHead.map({ URL(fileURLWithPath: $0) }) ?? folder.treeHeadFile {
            let read = try AuditTreeHead.read(from: file)
            guard read.isSigned(by: trusted?.key) else {
                throw CommandError(
                    "\(file.path): the tree head's signature does not verify with \(trusted == nil ? "its own key" : "the router's certified key")"
                )
            }
            head = read
            expected = AuditVerifier.Expectation(treeSize: read.treeSize, root: read.rootBytes)
            lines.append(
                "checked against: the tree head in \(file.path) (\(read.treeSize) record(s), signed \(read.time))"
            )
        }
        let result = try AuditVerifier.verify(directory: folder.audit, trustedKey: trusted?.key, expected: expected)
        if let head, result.isValid, let key = result.signingKey, key != head.publicKey {
            print((lines + ["\(result)"]).joined(separator: "\n"))
            throw CommandError(
                "the tree head is signed by key \(head.publicKey.prefix(16))..., the log by \(key.prefix(16))..."
            )
        }
        print((lines + ["\(result)"]).joined(separator: "\n"))
        if !result.isValid { throw ExitCode(1) }
    }
}
