import Crypto
import Foundation

/// Checks an audit folder: every record's own hash, every link to the previous record, sequence continuity across
/// segments in order, every checkpoint's signature (by the log's key, or a trusted key), and that the log ends
/// sealed by a checkpoint. Finds the first problem and names its segment, line and sequence number.
public enum AuditVerifier {
    public static func verify(
        directory: URL,
        trustedKey: Curve25519.Signing.PublicKey? = nil
    ) async throws -> AuditVerification {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue
        else {
            throw AuditError(path: directory.path, "no such audit folder")
        }
        let segments = try AuditSegments.list(directory)
        var result = AuditVerification()
        result.segments = segments.count
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
        var state = ChainState(trustedKey: trustedKey.map { AuditRecordFormat.hex($0.rawRepresentation) })
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
            let bytes = try AuditSegments.read(directory.appendingPathComponent(segment.name))
            let (lines, complete) = lineRanges(bytes)
            let fields = await hashAll(bytes, lines)
            if let problem = state.check(
                segment: segment.name,
                bytes: bytes,
                lines: lines,
                fields: fields,
                complete: complete,
                result: &result
            ) {
                result.problem = problem
                return result
            }
        }
        result.problem = state.unsealedTail()
        return result
    }

    /// Checks one segment's bytes as a whole log (the chain from seq 0, checkpoints, the sealed end), on the calling
    /// thread: for fuzzing and for checking a segment held in memory.
    public static func verify(
        segmentBytes bytes: [UInt8],
        name: String,
        trustedKey: Curve25519.Signing.PublicKey? = nil
    ) -> AuditVerification {
        var result = AuditVerification()
        result.segments = 1
        var state = ChainState(trustedKey: trustedKey.map { AuditRecordFormat.hex($0.rawRepresentation) })
        let (lines, complete) = lineRanges(bytes)
        let fields = bytes.withUnsafeBufferPointer { buffer in
            lines.map { AuditRecordFormat.chainFields(in: buffer, $0) }
        }
        result.problem =
            state.check(segment: name, bytes: bytes, lines: lines, fields: fields, complete: complete, result: &result)
            ?? state.unsealedTail()
        return result
    }
}

extension AuditVerifier {
    /// The ranges of the lines of a segment (without their newlines), and whether the last line ended with one.
    static func lineRanges(_ bytes: [UInt8]) -> (ranges: [Range<Int>], complete: Bool) {
        bytes.withUnsafeBufferPointer { buffer in
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
    }

    /// The fixed parts and content hash of every line, computed on every core (the chain is then walked in order).
    static func hashAll(_ bytes: [UInt8], _ lines: [Range<Int>]) async -> [AuditRecordFormat.ChainFields?] {
        let chunkCount = max(1, min(ProcessInfo.processInfo.activeProcessorCount * 2, lines.count / 1024))
        let chunkSize = (lines.count + chunkCount - 1) / chunkCount
        let parse: @Sendable (Range<Int>) -> [AuditRecordFormat.ChainFields?] = { range in
            bytes.withUnsafeBufferPointer { buffer in lines[range].map { AuditRecordFormat.chainFields(in: buffer, $0) }
            }
        }
        guard chunkCount > 1 else { return parse(0..<lines.count) }
        return await withTaskGroup(of: (Int, [AuditRecordFormat.ChainFields?]).self) { group in
            for chunk in 0..<chunkCount {
                let range = chunk * chunkSize..<min((chunk + 1) * chunkSize, lines.count)
                group.addTask { (chunk, parse(range)) }
            }
            var parts = [[AuditRecordFormat.ChainFields?]](repeating: [], count: chunkCount)
            for await (chunk, part) in group { parts[chunk] = part }
            return parts.flatMap { $0 }
        }
    }
}

/// The verifier's walk along the chain.
private struct ChainState {
    let trustedKey: String?
    var expected: UInt64 = 0
    /// The previous record's hash, 64 hex digits.
    var prev = Array(AuditRecordFormat.zeroHash.utf8)
    var logKey: String?
    var sinceCheckpoint = 0
    var firstUnsealedLine = 0
    var lastSegment = ""

    init(trustedKey: String?) { self.trustedKey = trustedKey }

    mutating func check(
        segment: String,
        bytes: [UInt8],
        lines: [Range<Int>],
        fields: [AuditRecordFormat.ChainFields?],
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
        return bytes.withUnsafeBufferPointer { buffer -> AuditVerification.Problem? in
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
                if let event {
                    let line = Array(UnsafeBufferPointer(rebasing: buffer[range]))[...]
                    if let problem = special(
                        event,
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
                } else {
                    if sinceCheckpoint == 0 { firstUnsealedLine = number }
                    sinceCheckpoint += 1
                }
                result.records += 1
                expected += 1
                prev.withUnsafeMutableBufferPointer {
                    $0.baseAddress!.update(from: buffer.baseAddress! + record.claimed, count: 64)
                }
            }
            return nil
        }
    }

    /// The problem of a log whose last records no checkpoint seals, or `nil`.
    func unsealedTail() -> AuditVerification.Problem? {
        guard sinceCheckpoint > 0 else { return nil }
        return .init(
            kind: .unsealedTail,
            segment: lastSegment,
            line: firstUnsealedLine,
            seq: expected - UInt64(sinceCheckpoint),
            detail:
                "\(sinceCheckpoint) record(s) after the last checkpoint carry no signature: appended by someone without the key, or written before a crash and not reopened"
        )
    }

    /// Checks `opened` (the signing key) and `checkpoint` (the signature) records.
    private mutating func special(
        _ event: String,
        line: ArraySlice<UInt8>,
        segment: String,
        number: Int,
        seq: UInt64,
        result: inout AuditVerification
    ) -> AuditVerification.Problem? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
            let key = object["public_key"] as? String, let signer = object["signer"] as? String
        else {
            return .init(
                kind: .malformed,
                segment: segment,
                line: number,
                seq: seq,
                detail: "\(event) record without signer and public_key"
            )
        }
        let reference = trustedKey ?? logKey ?? key
        guard key == reference else {
            return .init(
                kind: .keyMismatch,
                segment: segment,
                line: number,
                seq: seq,
                detail:
                    "\(event) names key \(key.prefix(16))..., not the \(trustedKey == nil ? "log's" : "router's certified") key \(reference.prefix(16))..."
            )
        }
        logKey = reference
        result.signer = signer
        result.signingKey = key
        guard event == "checkpoint" else { return nil }
        guard let head = object["head"] as? String, let signatureHex = object["signature"] as? String,
            let covers = object["covers"] as? Int, let time = object["simulated_time"] as? String
        else {
            return .init(
                kind: .malformed,
                segment: segment,
                line: number,
                seq: seq,
                detail: "checkpoint without head, covers or signature"
            )
        }
        guard Array(head.utf8) == prev, UInt64(covers) == seq else {
            return .init(
                kind: .badSignature,
                segment: segment,
                line: number,
                seq: seq,
                detail: "the checkpoint's head or count does not match the chain before it"
            )
        }
        guard
            let publicKey = AuditRecordFormat.bytes(hex: Array(key.utf8)).flatMap({
                try? Curve25519.Signing.PublicKey(rawRepresentation: $0)
            }),
            let signature = AuditRecordFormat.bytes(hex: Array(signatureHex.utf8)),
            let headBytes = AuditRecordFormat.bytes(hex: Array(head.utf8)),
            publicKey.isValidSignature(
                signature,
                for: AuditRecordFormat.checkpointSigningInput(seq: seq, head: headBytes)
            )
        else {
            return .init(
                kind: .badSignature,
                segment: segment,
                line: number,
                seq: seq,
                detail: "the checkpoint's signature does not verify with the signing key"
            )
        }
        result.checkpoints += 1
        result.lastCheckpoint = (seq, time)
        return nil
    }

    static let eventMarker = Array(#","event":""#.utf8)
    static let checkpointName = Array(#"checkpoint""#.utf8)
    static let openedName = Array(#"opened""#.utf8)

    /// `checkpoint` or `opened` when the record is one, read without a JSON parser; `nil` for other events.
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
        if AuditRecordFormat.same(buffer, at: start, checkpointName) { return "checkpoint" }
        if AuditRecordFormat.same(buffer, at: start, openedName) { return "opened" }
        return nil
    }
}
