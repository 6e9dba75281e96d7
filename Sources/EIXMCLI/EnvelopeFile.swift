import EIXMModel
import EIXMRules
import Foundation

/// Reads and writes envelope files, turning every failure into a sentence that names the file.
enum EnvelopeFile {
    static func read(_ path: String) throws -> Envelope {
        let bytes: [UInt8]
        do {
            bytes = try PlainFile.bytes(path)
        } catch {
            throw CommandError("\(error).")
        }
        do {
            return try Envelope(wireBytes: bytes)
        } catch {
            throw CommandError("\(path): malformed envelope: \(error)")
        }
    }

    static func write(_ envelope: Envelope, to path: String) throws {
        do {
            try Data(envelope.wireBytes()).write(to: URL(fileURLWithPath: path))
        } catch {
            throw CommandError("\(path): cannot write the envelope (\(error.localizedDescription)).")
        }
    }
}
