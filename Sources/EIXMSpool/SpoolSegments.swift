import Foundation

/// The spool's files: `spool-000001.log`, `spool-000002.log`, ... in a folder, each starting with `magic`, then
/// records `length:u32 crc32c:u32 payload`, the checksum over the length's four bytes and the payload.
enum SpoolSegments {
    static let magic: [UInt8] = Array("EIXMSPL1".utf8)
    /// No record payload is larger: an envelope at its limits and the delivery facts around it.
    static let maximumPayloadBytes = 2 * 1024 * 1024

    static func name(_ index: Int) -> String { "spool-" + String(format: "%06d", index) + ".log" }

    /// The segment indexes present in `directory`, ascending.
    static func list(_ directory: URL) throws(SpoolError) -> [Int] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw SpoolError(.io, path: directory.path, "cannot list the spool folder: \(error.localizedDescription)")
        }
        return names.compactMap { name -> Int? in
            guard name.hasPrefix("spool-"), name.hasSuffix(".log") else { return nil }
            return Int(name.dropFirst(6).dropLast(4))
        }.sorted()
    }

    /// One framed record.
    static func frame(_ payload: [UInt8], into out: inout [UInt8]) {
        let length = UInt32(payload.count)
        let lengthBytes = [
            UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF),
        ]
        let crc = CRC32C.checksum(payload, continuing: CRC32C.checksum(lengthBytes))
        out.append(contentsOf: lengthBytes)
        out.append(contentsOf: [UInt8(crc >> 24), UInt8(crc >> 16 & 0xFF), UInt8(crc >> 8 & 0xFF), UInt8(crc & 0xFF)])
        out.append(contentsOf: payload)
    }

    /// Where a file of framed records stops being whole.
    struct Damage {
        let offset: Int
        let reason: String
        /// Whether it is what a crash mid-write leaves at the end of the last file (a torn tail, to be cut).
        let tornIfLast: Bool
    }

    /// Reads the framed records of `bytes` from `start`, handing each payload whose checksum holds to `accept`
    /// (`false`: not a record of this file's kind); returns the first damage found, or `nil` when every byte is read.
    static func readRecords(
        _ bytes: [UInt8],
        from start: Int,
        kind: String,
        _ accept: (ArraySlice<UInt8>) -> Bool
    ) -> Damage? {
        var offset = start
        while offset < bytes.count {
            let remaining = bytes.count - offset
            guard remaining >= 8 else {
                return Damage(
                    offset: offset,
                    reason: "a record header cut short (\(remaining) byte(s))",
                    tornIfLast: true
                )
            }
            let length = bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
            let stored = bytes[offset + 4..<offset + 8].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            let end = offset + 8 + length
            let restIsZero = { bytes[offset...].allSatisfy { $0 == 0 } }
            guard length <= maximumPayloadBytes else {
                return Damage(
                    offset: offset,
                    reason: "a record length of \(length) bytes, more than any record",
                    tornIfLast: restIsZero()
                )
            }
            guard end <= bytes.count else {
                return Damage(
                    offset: offset,
                    reason: "a record cut short (\(remaining - 8) of \(length) byte(s))",
                    tornIfLast: true
                )
            }
            let crc = CRC32C.checksum(bytes[offset + 8..<end], continuing: CRC32C.checksum(bytes[offset..<offset + 4]))
            guard crc == stored else {
                return Damage(
                    offset: offset,
                    reason: "a record whose checksum does not match",
                    tornIfLast: end == bytes.count || restIsZero()
                )
            }
            guard accept(bytes[offset + 8..<end]) else {
                return Damage(
                    offset: offset,
                    reason: "a record whose checksum matches but whose content is not \(kind)",
                    tornIfLast: false
                )
            }
            offset = end
        }
        return nil
    }
}
