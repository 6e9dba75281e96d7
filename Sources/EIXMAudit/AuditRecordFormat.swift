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
    /// Appends a record line (with its newline) to `out`: `{"seq":N`, the times and the event name, the fields that
    /// `writeFields` appends, then `,"prev":"…"` and `,"hash":"…"}`; `chain` goes in as the previous record's hash
    /// (64 hex digits) and comes out as this line's. Formatted straight into the batch's buffer: no array per record,
    /// no string per number, time or hash.
    static func line(
        seq: UInt64,
        realTime: Timestamp,
        simulatedTime: Timestamp,
        event: String,
        chain: inout [UInt8],
        into out: inout JSONFields,
        _ writeFields: (inout JSONFields) -> Void
    ) {
        let start = out.bytes.count
        out.bytes.append(contentsOf: seqMarker)
        out.digits(seq)
        out.timestamp("real_time", realTime)
        out.timestamp("simulated_time", simulatedTime)
        out.string("event", event)
        writeFields(&out)
        out.bytes.append(contentsOf: prevMarker)
        out.bytes.append(contentsOf: chain)
        out.bytes.append(UInt8(ascii: "\""))
        let hash = out.bytes.withUnsafeBytes { SHA256.hash(data: UnsafeRawBufferPointer(rebasing: $0[start...])) }
        out.bytes.append(contentsOf: hashMarker)
        hash.withUnsafeBytes { hash in chain.withUnsafeMutableBufferPointer { hexDigits(of: hash, into: $0) } }
        out.bytes.append(contentsOf: chain)
        out.bytes.append(UInt8(ascii: "\""))
        out.bytes.append(UInt8(ascii: "}"))
        out.bytes.append(0x0A)
    }

    /// The fixed parts of a record line, located without a JSON parser: its sequence number, where its `prev` and
    /// claimed `hash` (64 hex digits each) start in the buffer, and whether the claimed hash is the content's.
    struct ChainFields: Sendable {
        let seq: UInt64
        /// Offsets into the buffer the line was read from.
        let prev: Int
        let claimed: Int
        let isIntact: Bool
    }

    static let hashMarker = Array(#","hash":""#.utf8)
    static let prevMarker = Array(#","prev":""#.utf8)
    static let seqMarker = Array(#"{"seq":"#.utf8)

    /// The fixed parts of the line at `range` of `buffer`; `nil` when the line lacks them.
    static func chainFields(in buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> ChainFields? {
        guard range.count > hashSuffixLength + prevFieldLength + 8 else { return nil }
        let start = range.lowerBound
        let end = range.upperBound
        let suffixStart = end - hashSuffixLength
        let prevStart = suffixStart - prevFieldLength
        guard same(buffer, at: suffixStart, hashMarker), buffer[end - 2] == UInt8(ascii: "\""),
            buffer[end - 1] == UInt8(ascii: "}"),
            same(buffer, at: prevStart, prevMarker), buffer[suffixStart - 1] == UInt8(ascii: "\""),
            same(buffer, at: start, seqMarker)
        else { return nil }
        var seq: UInt64 = 0
        var index = start + 7
        var digits = 0
        while index < prevStart, let digit = buffer[index].asciiDigit {
            seq = seq &* 10 &+ UInt64(digit)
            index += 1
            digits += 1
        }
        guard digits > 0, digits < 20, buffer[index] == UInt8(ascii: ",") else { return nil }
        let digest = SHA256.hash(
            data: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: buffer[start..<suffixStart]))
        )
        return ChainFields(
            seq: seq,
            prev: prevStart + 9,
            claimed: suffixStart + 9,
            isIntact: hexEquals(buffer, suffixStart + 9, digest)
        )
    }

    /// The same for a line given as a slice of an array.
    static func chainFields(of line: ArraySlice<UInt8>) -> (fields: ChainFields, claimed: String)? {
        line.withUnsafeBufferPointer { buffer in
            guard let fields = chainFields(in: buffer, 0..<buffer.count) else { return nil }
            return (
                fields,
                String(
                    decoding: UnsafeBufferPointer(rebasing: buffer[fields.claimed..<fields.claimed + 64]),
                    as: UTF8.self
                )
            )
        }
    }

    /// Whether `buffer` holds `marker` at `index`.
    @inline(__always)
    static func same(_ buffer: UnsafeBufferPointer<UInt8>, at index: Int, _ marker: [UInt8]) -> Bool {
        guard index >= 0, index + marker.count <= buffer.count else { return false }
        for offset in 0..<marker.count where buffer[index + offset] != marker[offset] { return false }
        return true
    }

    /// Whether the 64 hex digits at `offset` spell the digest.
    static func hexEquals(_ buffer: UnsafeBufferPointer<UInt8>, _ offset: Int, _ digest: SHA256Digest) -> Bool {
        var index = offset
        for byte in digest {
            guard buffer[index] == hexDigit(byte >> 4), buffer[index + 1] == hexDigit(byte & 0xF) else {
                return false
            }
            index += 2
        }
        return true
    }

    /// Lower-case hex digits of `bytes`. Inlinable, so that callers in other modules (the router, for each message's
    /// digests) get it specialized: unspecialized, every byte went through the protocol's witnesses, an allocation
    /// each (two million a run of `eixm-bench summary`).
    @inlinable
    public static func hex(_ bytes: some Sequence<UInt8>) -> String {
        if let text = bytes.withContiguousStorageIfAvailable({ hex(UnsafeRawBufferPointer($0)) }) { return text }
        return Array(bytes).withUnsafeBytes { hex($0) }
    }

    /// Lower-case hex digits of a digest, read in place (a digest has no contiguous storage to lend a generic caller:
    /// it would be copied into an array first).
    @inlinable
    public static func hex(_ digest: SHA256Digest) -> String { digest.withUnsafeBytes { hex($0) } }

    /// Lower-case hex digits of the bytes in a buffer, written straight into the string's storage.
    @inlinable
    public static func hex(_ bytes: UnsafeRawBufferPointer) -> String {
        String(unsafeUninitializedCapacity: bytes.count * 2) { out in
            hexDigits(of: bytes, into: out)
            return bytes.count * 2
        }
    }

    /// Writes the lower-case hex digits of `bytes` at the start of `out`, which has room for twice their count.
    @inlinable
    static func hexDigits(of bytes: UnsafeRawBufferPointer, into out: UnsafeMutableBufferPointer<UInt8>) {
        var index = 0
        for byte in bytes {
            out[index] = hexDigit(byte >> 4)
            out[index + 1] = hexDigit(byte & 0xF)
            index += 2
        }
    }

    /// The lower-case hex digit of a value 0-15.
    @inlinable
    static func hexDigit(_ nibble: UInt8) -> UInt8 { nibble < 10 ? nibble &+ 48 : nibble &+ 87 }

    /// The bytes of lower-case hex digits, or nil.
    public static func bytes(hex text: some Collection<UInt8>) -> [UInt8]? {
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

    init(capacity: Int = 512) { bytes.reserveCapacity(capacity) }

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

    /// `values` as a JSON array of strings: any sequence, so that a caller mapping its values (node IDs, codes) to
    /// strings passes them lazily rather than building an array per record.
    mutating func strings(_ key: String, _ values: some Sequence<String>) {
        self.key(key)
        bytes.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            quoted(value)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// `,"key":"<lower-case hex of the bytes>"`, written straight into the buffer.
    mutating func hex(_ key: String, _ value: [UInt8]) {
        self.key(key)
        bytes.append(UInt8(ascii: "\""))
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: value.count * 2))
        value.withUnsafeBytes { value in
            bytes.withUnsafeMutableBufferPointer {
                AuditRecordFormat.hexDigits(of: value, into: UnsafeMutableBufferPointer(rebasing: $0[start...]))
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func number(_ key: String, _ value: some BinaryInteger) {
        self.key(key)
        raw("\(value)")
    }

    /// The decimal digits of `value`, without a string in between.
    mutating func digits(_ value: UInt64) {
        var value = value
        let first = bytes.count
        repeat {
            bytes.append(UInt8(ascii: "0") + UInt8(value % 10))
            value /= 10
        } while value > 0
        bytes[first...].reverse()
    }

    /// `,"key":"<RFC 3339>"`
    mutating func timestamp(_ key: String, _ time: Timestamp) {
        self.key(key)
        bytes.append(UInt8(ascii: "\""))
        time.appendRFC3339(to: &bytes)
        bytes.append(UInt8(ascii: "\""))
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
                    bytes.append(AuditRecordFormat.hexDigit(byte >> 4))
                    bytes.append(AuditRecordFormat.hexDigit(byte & 0xF))
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
                bytes.append(AuditRecordFormat.hexDigit(byte >> 4))
                bytes.append(AuditRecordFormat.hexDigit(byte & 0xF))
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
