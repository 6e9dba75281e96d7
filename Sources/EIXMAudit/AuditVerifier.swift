import Crypto
import Dispatch
import EIXMMerkle
import Foundation

/// Checks an audit folder: every record's own hash, every link to the previous record, sequence continuity across
/// segments in order, every checkpoint's signed tree head (its Merkle root and chain head recomputed, its signature
/// by the log's key or a trusted key), a `recovered` record after every crash, and that the log ends with a closing
/// checkpoint. Given a tree head kept outside the log, it also checks that the log still holds the records that
/// tree head covers, unchanged. Finds the first problem and names its segment, line and sequence number.
public enum AuditVerifier {
    /// A tree head the log must still agree with: its first `treeSize` records have the Merkle root `root`.
    public struct Expectation: Sendable, Hashable {
        public let treeSize: UInt64
        public let root: [UInt8]
        public init(treeSize: UInt64, root: [UInt8]) {
            self.treeSize = treeSize
            self.root = root
        }
    }

    public static func verify(
        directory: URL,
        trustedKey: Curve25519.Signing.PublicKey? = nil,
        expected: Expectation? = nil
    ) throws -> AuditVerification {
        try verify(directory: directory, trustedKey: trustedKey, expected: expected, lastSegmentLength: nil)
    }

    /// As above; `lastSegmentLength` reads only that many bytes of the last segment (what a recovery would keep).
    static func verify(
        directory: URL,
        trustedKey: Curve25519.Signing.PublicKey?,
        expected: Expectation?,
        lastSegmentLength: Int?,
        collectLeaves: Bool = false
    ) throws -> AuditVerification {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue
        else {
            throw AuditError(path: directory.path, "no such audit folder")
        }
        let segments = try AuditSegments.list(directory)
        var result = AuditVerification()
        result.segments = segments.count
        if collectLeaves {
            result.leafHashes = []
            result.treeHeads = []
        }
        guard let first = segments.first else {
            result.problem = .init(
                kind: .emptyLog,
                segment: directory.lastPathComponent,
                line: 0,
                seq: nil,
                detail: "the folder holds no audit segment"
            )
            return result
        }
        var state = ChainState(
            trustedKey: trustedKey.map { AuditRecordFormat.hex($0.rawRepresentation) },
            expected: expected
        )
        for (position, segment) in segments.enumerated() {
            let expectedIndex = first.index + position
            guard segment.index == expectedIndex, first.index == 1 else {
                let missing = first.index == 1 ? expectedIndex : 1
                result.problem = .init(
                    kind: .missingSegment,
                    segment: AuditSegments.name(missing),
                    line: 0,
                    seq: state.expected,
                    detail: "segment \(AuditSegments.name(missing)) is missing"
                )
                return result
            }
            let problem = try AuditSegments.withMapped(directory.appendingPathComponent(segment.name)) { mapped in
                let bytes = UnsafeBufferPointer(
                    rebasing: mapped[
                        ..<(position == segments.count - 1
                            ? min(lastSegmentLength ?? .max, mapped.count) : mapped.count)
                    ]
                )
                return state.check(segment: segment.name, bytes: bytes, result: &result)
            }
            if let problem {
                result.problem = state.settle(&result) ?? problem
                return result
            }
        }
        result.problem = state.end(&result)
        return result
    }

    /// Checks one segment's bytes as a whole log (the chain from seq 0, checkpoints, the closed end), on the calling
    /// thread: for fuzzing and for checking a segment held in memory.
    public static func verify(
        segmentBytes bytes: [UInt8],
        name: String,
        trustedKey: Curve25519.Signing.PublicKey? = nil
    ) -> AuditVerification {
        var result = AuditVerification()
        result.segments = 1
        var state = ChainState(
            trustedKey: trustedKey.map { AuditRecordFormat.hex($0.rawRepresentation) },
            expected: nil
        )
        result.problem = bytes.withUnsafeBufferPointer { bytes in
            if let problem = state.check(segment: name, bytes: bytes, result: &result) {
                return state.settle(&result) ?? problem
            }
            return state.end(&result)
        }
        return result
    }
}

extension AuditVerifier {
    /// The ranges of the lines of a segment (without their newlines), and whether the last line ended with one.
    static func lineRanges(_ buffer: UnsafeBufferPointer<UInt8>) -> (ranges: [Range<Int>], complete: Bool) {
        guard let base = buffer.baseAddress else { return ([], true) }
        var ranges: [Range<Int>] = []
        ranges.reserveCapacity(buffer.count / 300)
        var start = 0
        while start < buffer.count {
            guard let newline = memchr(base + start, 0x0A, buffer.count - start) else {
                ranges.append(start..<buffer.count)
                return (ranges, false)
            }
            let end = UnsafePointer(newline.assumingMemoryBound(to: UInt8.self)) - base
            ranges.append(start..<end)
            start = end + 1
        }
        return (ranges, true)
    }

    /// The fixed parts, content hash and Merkle leaf hash (32 bytes each, in one flat array) of every line,
    /// computed on every core (the chain is then walked in order).
    static func hashAll(
        _ buffer: UnsafeBufferPointer<UInt8>,
        _ lines: [Range<Int>]
    ) -> ([AuditRecordFormat.ChainFields?], [UInt8]) {
        let chunkCount = max(1, min(ProcessInfo.processInfo.activeProcessorCount * 2, lines.count / 1024))
        let chunkSize = (lines.count + chunkCount - 1) / chunkCount
        var fields = [AuditRecordFormat.ChainFields?](repeating: nil, count: lines.count)
        var leaves = [UInt8](repeating: 0, count: lines.count * 32)
        fields.withUnsafeMutableBufferPointer { fieldsOut in
            leaves.withUnsafeMutableBytes { leavesOut in
                let shared = ChunkBuffers(input: buffer, fields: fieldsOut, leaves: leavesOut)
                DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
                    for index in chunk * chunkSize..<min((chunk + 1) * chunkSize, lines.count) {
                        shared.hashLine(index, lines[index])
                    }
                }
            }
        }
        return (fields, leaves)
    }
}

/// The buffers the chunks of `hashAll` share: each chunk reads the input and writes only its own lines' slots, and
/// the buffers outlive the concurrent loop, so sharing them across its threads is safe.
private struct ChunkBuffers: @unchecked Sendable {
    let input: UnsafeBufferPointer<UInt8>
    let fields: UnsafeMutableBufferPointer<AuditRecordFormat.ChainFields?>
    let leaves: UnsafeMutableRawBufferPointer

    func hashLine(_ index: Int, _ range: Range<Int>) {
        fields[index] = AuditRecordFormat.chainFields(in: input, range)
        var hasher = SHA256()
        withUnsafeBytes(of: UInt8(0)) { hasher.update(bufferPointer: $0) }
        hasher.update(bufferPointer: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: input[range])))
        hasher.finalize().withUnsafeBytes { digest in
            leaves.baseAddress!.advanced(by: index * 32).copyMemory(from: digest.baseAddress!, byteCount: 32)
        }
    }
}

/// The verifier's walk along the chain.
private struct ChainState {
    let trustedKey: String?
    let expectation: AuditVerifier.Expectation?
    var expected: UInt64 = 0
    /// The previous record's hash, 64 hex digits.
    var prev = Array(AuditRecordFormat.zeroHash.utf8)
    var logKey: String?
    var sinceCheckpoint = 0
    var firstUnsealedLine = 0
    var lastSegment = ""
    var lastLine = 0
    /// Whether the last checkpoint closed the log (true before the first record: nothing to close yet).
    var closed = true
    /// After an `opened` record that follows a crash: the next record must be `recovered`; the seq of the crashed
    /// life's last record and how many of its records no checkpoint sealed.
    var crash: (lastSeq: UInt64, unsealed: Int)?
    /// The last checkpoint whose signature is not yet checked, and where it is. The writer seals every write batch
    /// with a checkpoint; each one's root covers every record before it, itself and the checkpoints before it
    /// included, so checking the signature of the last checkpoint of each life of the log (and of every final one)
    /// authenticates them all: a changed earlier checkpoint changes the root the later one signed.
    var unchecked: (head: AuditTreeHead, segment: String, line: Int, seq: UInt64)?

    init(trustedKey: String?, expected: AuditVerifier.Expectation?) {
        self.trustedKey = trustedKey
        self.expectation = expected
    }

    /// Checks one segment's lines, hashed on every core first.
    mutating func check(
        segment: String,
        bytes: UnsafeBufferPointer<UInt8>,
        result: inout AuditVerification
    ) -> AuditVerification.Problem? {
        let (lines, complete) = AuditVerifier.lineRanges(bytes)
        let (fields, leaves) = AuditVerifier.hashAll(bytes, lines)
        return check(
            segment: segment,
            bytes: bytes,
            lines: lines,
            fields: fields,
            leaves: leaves,
            complete: complete,
            result: &result
        )
    }

    mutating func check(
        segment: String,
        bytes buffer: UnsafeBufferPointer<UInt8>,
        lines: [Range<Int>],
        fields: [AuditRecordFormat.ChainFields?],
        leaves: [UInt8],
        complete: Bool,
        result: inout AuditVerification
    ) -> AuditVerification.Problem? {
        lastSegment = segment
        if !complete, !lines.isEmpty, fields[lines.count - 1] == nil {
            return .init(
                kind: .truncation,
                segment: segment,
                line: lines.count,
                seq: expected,
                detail: "the last line is incomplete (no newline, cut short)"
            )
        }
        do {
            for (offset, range) in lines.enumerated() {
                let number = offset + 1
                guard let record = fields[offset] else {
                    return .init(
                        kind: .malformed,
                        segment: segment,
                        line: number,
                        seq: nil,
                        detail: "not an audit record (a JSON object with seq first and prev and hash last)"
                    )
                }
                guard record.isIntact else {
                    return .init(
                        kind: .hashMismatch,
                        segment: segment,
                        line: number,
                        seq: record.seq,
                        detail: "the record's content does not give its hash: it was changed"
                    )
                }
                if record.seq != expected {
                    let nextSeq = offset + 1 < lines.count ? fields[offset + 1]?.seq : nil
                    let swapped = record.seq > expected && nextSeq == expected
                    return .init(
                        kind: swapped || record.seq < expected ? .reordering : .gap,
                        segment: segment,
                        line: number,
                        seq: record.seq,
                        detail: record.seq > expected && !swapped
                            ? "expected seq \(expected): record(s) \(expected)...\(record.seq - 1) are missing"
                            : "expected seq \(expected), found \(record.seq)"
                    )
                }
                guard memcmp(buffer.baseAddress! + record.prev, prev, 64) == 0 else {
                    return .init(
                        kind: .brokenLink,
                        segment: segment,
                        line: number,
                        seq: record.seq,
                        detail:
                            "prev does not match the previous record's hash: a record before it was removed or replaced"
                    )
                }
                let event = Self.specialEvent(in: buffer, range, seq: record.seq)
                if let problem = recoveryProblem(
                    event: event,
                    segment: segment,
                    number: number,
                    seq: record.seq,
                    result: &result
                ) {
                    return problem
                }
                // A new life of the log: the last checkpoint of the one before is checked now.
                if event == "opened", let problem = settle(&result) { return problem }
                if event == "checkpoint" || event == "opened" {
                    let line = Array(UnsafeBufferPointer(rebasing: buffer[range]))[...]
                    if let problem = special(
                        event!,
                        line: line,
                        segment: segment,
                        number: number,
                        seq: record.seq,
                        result: &result
                    ) {
                        return problem
                    }
                }
                if event == "checkpoint" {
                    sinceCheckpoint = 0
                    result.sealedEnd = (segment, range.upperBound + 1)
                } else {
                    if sinceCheckpoint == 0 { firstUnsealedLine = number }
                    sinceCheckpoint += 1
                    closed = false
                }
                result.records += 1
                expected += 1
                lastLine = number
                prev.withUnsafeMutableBufferPointer {
                    $0.baseAddress!.update(from: buffer.baseAddress! + record.claimed, count: 64)
                }
                leaves.withUnsafeBytes { all in
                    result.tree.append(leafHash: UnsafeRawBufferPointer(rebasing: all[offset * 32..<offset * 32 + 32]))
                }
                result.leafHashes?.append(contentsOf: leaves[offset * 32..<offset * 32 + 32])
                if let expectation, result.tree.size == expectation.treeSize, result.tree.root != expectation.root {
                    return .init(
                        kind: .rewritten,
                        segment: segment,
                        line: number,
                        seq: record.seq,
                        detail:
                            "the first \(expectation.treeSize) record(s) do not give the tree head's root: a record up to this one was changed, removed or reordered since the tree head was signed"
                    )
                }
            }
            return nil
        }
    }

    /// After a crash, the router's first records are `opened` then `recovered`; checks that, and notes which records
    /// were sealed only after the restart.
    private mutating func recoveryProblem(
        event: String?,
        segment: String,
        number: Int,
        seq: UInt64,
        result: inout AuditVerification
    ) -> AuditVerification.Problem? {
        if let crash {
            self.crash = nil
            guard event == "recovered" else {
                return .init(
                    kind: .unrecordedCrash,
                    segment: segment,
                    line: number,
                    seq: seq,
                    detail:
                        "the log was reopened after record \(crash.lastSeq) without a closing checkpoint, and no recovered record says so"
                )
            }
            result.notes.append(
                crash.unsealed > 0
                    ? "the router restarted after a crash at record \(crash.lastSeq) (recorded at \(seq)); records \(crash.lastSeq + 1 - UInt64(crash.unsealed))...\(crash.lastSeq) had no checkpoint yet and were sealed only after the restart"
                    : "the router restarted after a crash at record \(crash.lastSeq) (recorded at \(seq)); every record before it was sealed"
            )
        } else if event == "opened", seq > 0, !closed {
            crash = (seq - 1, sinceCheckpoint)
        }
        return nil
    }

    /// Checks the signature of the last checkpoint not yet checked (it vouches for every one before it).
    mutating func settle(_ result: inout AuditVerification) -> AuditVerification.Problem? {
        guard let pending = unchecked else { return nil }
        unchecked = nil
        guard pending.head.isSigned() else {
            return .init(
                kind: .badSignature,
                segment: pending.segment,
                line: pending.line,
                seq: pending.seq,
                detail: "the checkpoint's signature does not verify with the signing key"
            )
        }
        return nil
    }

    /// The problem of the log's end: too short for the tree head expected, records after the last checkpoint, or a
    /// last checkpoint that did not close the log. Fills in the result's end state.
    mutating func end(_ result: inout AuditVerification) -> AuditVerification.Problem? {
        if let problem = settle(&result) { return problem }
        result.chainHead = String(decoding: prev, as: UTF8.self)
        result.unsealed = sinceCheckpoint
        result.closed = closed && expected > 0
        if let expectation, result.tree.size < expectation.treeSize {
            return .init(
                kind: .cutShort,
                segment: lastSegment,
                line: lastLine,
                seq: expected == 0 ? nil : expected - 1,
                detail: expected == 0
                    ? "the log holds no record, but the tree head covers \(expectation.treeSize): wiped"
                    : "the log ends at record \(expected - 1), but the tree head covers \(expectation.treeSize) records: records \(expected)...\(expectation.treeSize - 1) are missing"
            )
        }
        guard expected > 0 else {
            return .init(
                kind: .emptyLog,
                segment: lastSegment,
                line: 0,
                seq: nil,
                detail:
                    "the log holds no record (a router writes one as soon as it opens its log): wiped, or never written"
            )
        }
        if let crash {
            return .init(
                kind: .unrecordedCrash,
                segment: lastSegment,
                line: lastLine,
                seq: expected - 1,
                detail:
                    "the log was reopened after record \(crash.lastSeq) without a closing checkpoint, and no recovered record says so"
            )
        }
        if sinceCheckpoint > 0 {
            return .init(
                kind: .unsealedTail,
                segment: lastSegment,
                line: firstUnsealedLine,
                seq: expected - UInt64(sinceCheckpoint),
                detail:
                    "the log ends at record \(expected - 1) without a closing checkpoint (crashed or cut): the last \(sinceCheckpoint) record(s) carry no signature (written before a crash and not reopened, or appended by someone without the key)"
            )
        }
        guard closed else {
            return .init(
                kind: .notClosed,
                segment: lastSegment,
                line: lastLine,
                seq: expected - 1,
                detail: "the log ends at record \(expected - 1) without a closing checkpoint (crashed or cut)"
            )
        }
        return nil
    }

    /// Checks `opened` (the signing key) and `checkpoint` (the signed tree head) records.
    private mutating func special(
        _ event: String,
        line: ArraySlice<UInt8>,
        segment: String,
        number: Int,
        seq: UInt64,
        result: inout AuditVerification
    ) -> AuditVerification.Problem? {
        func problem(_ kind: AuditVerification.Problem.Kind, _ detail: String) -> AuditVerification.Problem {
            .init(kind: kind, segment: segment, line: number, seq: seq, detail: detail)
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
            let key = object["public_key"] as? String, let signer = object["signer"] as? String
        else {
            return problem(.malformed, "\(event) record without signer and public_key")
        }
        let reference = trustedKey ?? logKey ?? key
        guard key == reference else {
            return problem(
                .keyMismatch,
                "\(event) names key \(key.prefix(16))..., not the \(trustedKey == nil ? "log's" : "router's certified") key \(reference.prefix(16))..."
            )
        }
        logKey = reference
        result.signer = signer
        result.signingKey = key
        guard event == "checkpoint" else { return nil }
        guard let head = AuditTreeHead(checkpoint: object),
            let simulated = object["simulated_time"] as? String
        else {
            return problem(.malformed, "checkpoint without tree_size, root, head, final or signature")
        }
        guard Array(head.chainHead.utf8) == prev, head.treeSize == seq else {
            return problem(.badSignature, "the checkpoint's head or tree size does not match the chain before it")
        }
        guard head.root == AuditRecordFormat.hex(result.tree.root) else {
            return problem(.badSignature, "the checkpoint's Merkle root is not the root of the records before it")
        }
        unchecked = (head, segment, number, seq)
        if head.final, let problem = settle(&result) { return problem }
        result.checkpoints += 1
        result.lastCheckpoint = (seq, simulated)
        result.lastTreeHead = head
        result.treeHeads?.append(head)
        closed = head.final
        return nil
    }

    static let eventMarker = Array(#","event":""#.utf8)
    static let names = ["checkpoint", "opened", "recovered"].map { ($0, Array("\($0)\"".utf8)) }

    /// `checkpoint`, `opened` or `recovered` when the record is one, read without a JSON parser; `nil` for other
    /// events.
    static func specialEvent(in buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, seq: UInt64) -> String? {
        // Where the writer puts it: after seq and the two 24-character times.
        let digits = seq < 10 ? 1 : Int(log10(Double(seq))) + 1
        var index = range.lowerBound + 90 + digits
        if !AuditRecordFormat.same(buffer, at: index, eventMarker) {
            index = range.lowerBound
            let limit = min(range.upperBound, range.lowerBound + 160) - eventMarker.count
            while index < limit,
                !(buffer[index] == UInt8(ascii: ",") && AuditRecordFormat.same(buffer, at: index, eventMarker))
            {
                index += 1
            }
            guard index < limit else { return nil }
        }
        let start = index + eventMarker.count
        return names.first { AuditRecordFormat.same(buffer, at: start, $0.1) }?.0
    }
}
