import Crypto
import EIXMModel
import Foundation

// The audit log's record format (README.md, "The audit log"), one JSON object per line:
//
//   {"seq":N,"real_time":"<RFC 3339, ms, Z>","simulated_time":"<RFC 3339, ms, Z>","event":"<name>", ...fields...,
//    "prev":"<64 hex>","hash":"<64 hex>"}
//
// `seq` counts from 0 across segments. `prev` is the previous record's `hash` (64 zeros for record 0). `hash` is
// the SHA-256, in lower-case hex, of the line's bytes up to and including the closing quote of `prev`: the
// line without its last 75 bytes (`,"hash":"<64 hex>"}`). A verifier needs no JSON parser to check the chain.

/// Writes and reads the fixed parts of audit records.
public enum AuditRecordFormat {
    /// `,"hash":"` + 64 hex + `"}`.
    static let hashSuffixLength = 75
    /// `,"prev":"` + 64 hex + `"`.
    static let prevFieldLength = 74
    static let zeroHash = String(repeating: "0", count: 64)
    /// Starts every checkpoint signature's input.
    public static let checkpointDomain: [UInt8] = Array("EIXM-AUDIT-CHECKPOINT-V1".utf8) + [0]

    /// The bytes a checkpoint signature covers: the domain tag, the checkpoint's sequence number (u64 big-endian)
    /// and the hash of the record before it (32 bytes), which seals every record up to it.
    public static func checkpointSigningInput(seq: UInt64, head: [UInt8]) -> [UInt8] {
        checkpointDomain + withUnsafeBytes(of: seq.bigEndian, Array.init) + head
    }

    /// A record line (with its newline) for the given fields, chained to `prev`; returns the line and its hash.
    static func line(seq: UInt64, realTime: Timestamp, simulatedTime: Timestamp, event: String, fields: JSONFields, prev: String) -> (line: [UInt8], hash: String) {
        var out = JSONFields()
        out.raw("{\"seq\":")
        out.raw(String(seq))
        out.string("real_time", realTime.rfc3339)
        out.string("simulated_time", simulatedTime.rfc3339)
        out.string("event", event)
        out.bytes.append(contentsOf: fields.bytes)
        out.string("prev", prev)
        let hash = hex(SHA256.hash(data: out.bytes))
        out.raw(",\"hash\":\"\(hash)\"}\n")
        return (out.bytes, hash)
    }

    /// The fixed parts of a record line, located without a JSON parser: its sequence number, its `prev` and
    /// claimed `hash` (hex, as slices of the line), and the SHA-256 of its content; `nil` when the line lacks them.
    struct ChainFields {
        let seq: UInt64
        let prev: ArraySlice<UInt8>
        let claimed: ArraySlice<UInt8>
        let digest: SHA256Digest

        /// Whether the claimed hash is the content's.
        var isIntact: Bool { AuditRecordFormat.hexEquals(claimed, digest) }
    }

    static let hashMarker = Array(#","hash":""#.utf8)
    static let prevMarker = Array(#","prev":""#.utf8)
    static let seqMarker = Array(#"{"seq":"#.utf8)

    static func chainFields(of line: ArraySlice<UInt8>) -> ChainFields? {
        let count = line.count
        guard count > hashSuffixLength + prevFieldLength + 8 else { return nil }
        let start = line.startIndex
        let end = line.endIndex
        let suffixStart = end - hashSuffixLength
        let prevStart = suffixStart - prevFieldLength
        guard same(line, at: suffixStart, hashMarker), line[end - 2] == UInt8(ascii: "\""), line[end - 1] == UInt8(ascii: "}"),
            same(line, at: prevStart, prevMarker), line[suffixStart - 1] == UInt8(ascii: "\""), same(line, at: start, seqMarker)
        else { return nil }
        var seq: UInt64 = 0
        var index = start + 7
        var digits = 0
        while index < prevStart, let digit = line[index].asciiDigit {
            seq = seq &* 10 &+ UInt64(digit)
            index += 1
            digits += 1
        }
        guard digits > 0, digits < 20, line[index] == UInt8(ascii: ",") else { return nil }
        return ChainFields(
            seq: seq,
            prev: line[prevStart + 9..<prevStart + 73],
            claimed: line[suffixStart + 9..<suffixStart + 73],
            digest: SHA256.hash(data: line[start..<suffixStart])
        )
    }

    /// Whether `slice` holds `marker` at `index`.
    @inline(__always)
    static func same(_ slice: ArraySlice<UInt8>, at index: Int, _ marker: [UInt8]) -> Bool {
        guard index + marker.count <= slice.endIndex else { return false }
        for offset in 0..<marker.count where slice[index + offset] != marker[offset] { return false }
        return true
    }

    /// Whether two byte runs are equal (memcmp).
    static func equal(_ a: ArraySlice<UInt8>, _ b: ArraySlice<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        return a.withUnsafeBytes { x in b.withUnsafeBytes { y in memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0 } }
    }

    /// Whether 64 lower-case hex digits spell the digest.
    static func hexEquals(_ hex: ArraySlice<UInt8>, _ digest: SHA256Digest) -> Bool {
        guard hex.count == 64 else { return false }
        var index = hex.startIndex
        for byte in digest {
            guard hex[index] == hexDigits[Int(byte >> 4)], hex[index + 1] == hexDigits[Int(byte & 0xF)] else { return false }
            index += 2
        }
        return true
    }

    static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    public static func hex(_ bytes: some Sequence<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in bytes {
            out.append(hexDigits[Int(byte >> 4)])
            out.append(hexDigits[Int(byte & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func bytes(hex text: some Collection<UInt8>) -> [UInt8]? {
        guard text.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(text.count / 2)
        var high: UInt8?
        for character in text {
            guard let value = character.hexValue else { return nil }
            if let first = high {
                out.append(first << 4 | value)
                high = nil
            } else {
                high = value
            }
        }
        return out
    }
}

/// Appends `"key":value` pairs, each preceded by a comma, with JSON string escaping.
struct JSONFields {
    var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(512) }

    mutating func raw(_ text: String) { bytes.append(contentsOf: text.utf8) }

    /// `,"key":`
    private mutating func key(_ key: String) {
        bytes.append(UInt8(ascii: ","))
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: key.utf8)
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    mutating func string(_ key: String, _ value: String) {
        self.key(key)
        quoted(value)
    }

    mutating func strings(_ key: String, _ values: [String]) {
        self.key(key)
        bytes.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            quoted(value)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    mutating func number(_ key: String, _ value: some BinaryInteger) {
        self.key(key)
        raw("\(value)")
    }

    mutating func bool(_ key: String, _ value: Bool) {
        self.key(key)
        raw(value ? "true" : "false")
    }

    private mutating func quoted(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            // Most values need no escaping: copy them in one go.
            if !utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
                bytes.append(contentsOf: utf8)
                return
            }
            for byte in utf8 {
                switch byte {
                case UInt8(ascii: "\""): raw("\\\"")
                case UInt8(ascii: "\\"): raw("\\\\")
                case 0x0A: raw("\\n")
                case 0x0D: raw("\\r")
                case 0x09: raw("\\t")
                case 0..<0x20:
                    raw("\\u00")
                    bytes.append(AuditRecordFormat.hexDigits[Int(byte >> 4)])
                    bytes.append(AuditRecordFormat.hexDigits[Int(byte & 0xF)])
                default: bytes.append(byte)
                }
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// A UUID in lower-case 8-4-4-4-12 form, without a formatter.
    mutating func uuid(_ key: String, _ id: UUID) {
        self.key(key)
        bytes.append(UInt8(ascii: "\""))
        withUnsafeBytes(of: id.uuid) { raw in
            for (index, byte) in raw.enumerated() {
                if index == 4 || index == 6 || index == 8 || index == 10 { bytes.append(UInt8(ascii: "-")) }
                bytes.append(AuditRecordFormat.hexDigits[Int(byte >> 4)])
                bytes.append(AuditRecordFormat.hexDigits[Int(byte & 0xF)])
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}

extension UInt8 {
    fileprivate var asciiDigit: UInt8? { self >= 0x30 && self <= 0x39 ? self - 0x30 : nil }

    fileprivate var hexValue: UInt8? {
        switch self {
        case 0x30...0x39: self - 0x30
        case 0x61...0x66: self - 0x61 + 10
        default: nil
        }
    }
}
