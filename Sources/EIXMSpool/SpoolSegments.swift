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
        let lengthBytes = [UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)]
        let crc = CRC32C.checksum(payload, continuing: CRC32C.checksum(lengthBytes))
        out.append(contentsOf: lengthBytes)
        out.append(contentsOf: [UInt8(crc >> 24), UInt8(crc >> 16 & 0xFF), UInt8(crc >> 8 & 0xFF), UInt8(crc & 0xFF)])
        out.append(contentsOf: payload)
    }
}
