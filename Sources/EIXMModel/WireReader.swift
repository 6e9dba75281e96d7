/// Reads big-endian integers and byte runs from a region of a byte array, throwing a ``MessageFormatError`` that
/// names the field when the region ends early: the reading half of the canonical encoding.
struct WireReader {
    let bytes: [UInt8]
    private(set) var offset: Int
    let end: Int

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        offset = 0
        end = bytes.count
    }

    private init(bytes: [UInt8], offset: Int, end: Int) {
        self.bytes = bytes
        self.offset = offset
        self.end = end
    }

    var remaining: Int { end - offset }
    var isAtEnd: Bool { offset == end }

    private func need(_ count: Int, _ field: String) throws(MessageFormatError) {
        guard count <= remaining else {
            throw MessageFormatError(
                .truncated,
                field: field,
                "needs \(count) byte(s), \(remaining) left",
                offset: offset
            )
        }
    }

    mutating func u8(_ field: String) throws(MessageFormatError) -> UInt8 {
        try need(1, field)
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func u16(_ field: String) throws(MessageFormatError) -> Int {
        try need(2, field)
        defer { offset += 2 }
        return Int(bytes[offset]) << 8 | Int(bytes[offset + 1])
    }

    mutating func u32(_ field: String) throws(MessageFormatError) -> Int {
        try need(4, field)
        var value = 0
        for index in offset..<offset + 4 { value = value << 8 | Int(bytes[index]) }
        offset += 4
        return value
    }

    mutating func u64(_ field: String) throws(MessageFormatError) -> UInt64 {
        try need(8, field)
        var value: UInt64 = 0
        for index in offset..<offset + 8 { value = value << 8 | UInt64(bytes[index]) }
        offset += 8
        return value
    }

    /// The next `count` bytes, copied out.
    mutating func bytes(_ count: Int, _ field: String) throws(MessageFormatError) -> [UInt8] {
        try need(count, field)
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    /// The next `count` bytes, without copying.
    mutating func slice(_ count: Int, _ field: String) throws(MessageFormatError) -> ArraySlice<UInt8> {
        try need(count, field)
        defer { offset += count }
        return bytes[offset..<offset + count]
    }

    /// A reader over the next `count` bytes; this reader moves past them.
    mutating func region(_ count: Int, _ field: String) throws(MessageFormatError) -> WireReader {
        try need(count, field)
        defer { offset += count }
        return WireReader(bytes: bytes, offset: offset, end: offset + count)
    }

    /// The next `count` bytes as UTF-8 text.
    mutating func text(_ count: Int, _ field: String) throws(MessageFormatError) -> String {
        try need(count, field)
        let start = offset
        offset += count
        guard let text = String(validating: bytes[start..<start + count], as: UTF8.self) else {
            throw MessageFormatError(.invalidValue, field: field, "not valid UTF-8", offset: start)
        }
        return text
    }

    /// Fails unless every byte of the region was read.
    func expectEnd(_ field: String) throws(MessageFormatError) {
        guard isAtEnd else {
            throw MessageFormatError(
                .invalidValue,
                field: field,
                "\(remaining) unread byte(s) at the end of the field",
                offset: offset
            )
        }
    }
}
