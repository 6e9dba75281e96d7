/// Appends big-endian integers and length-prefixed fields to a byte array: the writing half of the canonical
/// encoding.
struct WireWriter {
    var bytes: [UInt8]

    init(capacity: Int) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    mutating func u8(_ value: UInt8) { bytes.append(value) }

    mutating func u16(_ value: UInt16) {
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
        bytes.append(UInt8(truncatingIfNeeded: value))
    }

    mutating func u32(_ value: UInt32) {
        for shift in stride(from: 24, through: 0, by: -8) {
            bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift)))
        }
    }

    mutating func u64(_ value: UInt64) {
        for shift in stride(from: 56, through: 0, by: -8) {
            bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift)))
        }
    }

    mutating func append(_ other: some Sequence<UInt8>) { bytes.append(contentsOf: other) }

    /// Writes `text` as a one-byte length and its UTF-8 bytes; the caller has checked it fits.
    mutating func shortText(_ text: String) {
        let start = bytes.count
        u8(0)
        bytes.append(contentsOf: text.utf8)
        bytes[start] = UInt8(bytes.count - start - 1)
    }

    /// Writes a header field: its tag, a two-byte length, then what `value` writes.
    mutating func field(_ field: HeaderField, _ value: (inout WireWriter) -> Void) {
        u8(field.rawValue)
        let lengthAt = bytes.count
        u16(0)
        value(&self)
        let length = bytes.count - lengthAt - 2
        bytes[lengthAt] = UInt8(truncatingIfNeeded: length >> 8)
        bytes[lengthAt + 1] = UInt8(truncatingIfNeeded: length)
    }
}
