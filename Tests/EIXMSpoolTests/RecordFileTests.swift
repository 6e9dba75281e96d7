import EIXMTestKit
import Foundation
import Testing

@testable import EIXMSpool

/// One file of checksummed records: what is appended is read back after a reopen, a torn tail is cut, damage before
/// it is refused unless repaired, and a file of another kind is never cut.
@Suite("Record files")
struct RecordFileTests {
    static let magic = "EIXMTST1"
    static let payloads: [[UInt8]] = [Array("first".utf8), Array("second record".utf8), Array("third".utf8)]

    static func open(_ path: String, repair: Bool = false) throws -> (file: RecordFile, recovery: RecordFile.Recovery) {
        try RecordFile.open(path: path, magic: magic, kind: "a test record", repair: repair)
    }

    /// The byte at which record `index` of `payloads` starts.
    static func offset(of index: Int) -> Int {
        var bytes: [UInt8] = []
        for payload in payloads.prefix(index) { SpoolSegments.frame(payload, into: &bytes) }
        return magic.utf8.count + bytes.count
    }

    @Test("what was appended is read back in order after a reopen, and a reopen of a whole file cuts nothing")
    func roundTrip() async throws {
        try await TemporaryDirectory.with { folder in
            let path = folder.appendingPathComponent("records.log").path
            let (file, first) = try Self.open(path)
            #expect(first.payloads.isEmpty && first.cut == nil)
            try file.append(Array(Self.payloads.prefix(2)))
            try file.append([Self.payloads[2]])
            let (_, again) = try Self.open(path)
            #expect(again.payloads == Self.payloads)
            #expect(again.cut == nil)
        }
    }

    @Test("a last record cut short is cut off and reported; what is appended after it is read back")
    func tornTail() async throws {
        try await TemporaryDirectory.with { folder in
            let path = folder.appendingPathComponent("records.log").path
            try Self.open(path).file.append(Self.payloads)
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
            try Data(bytes.dropLast(2)).write(to: URL(fileURLWithPath: path))
            let (file, recovery) = try Self.open(path)
            #expect(recovery.payloads == Array(Self.payloads.prefix(2)))
            #expect(recovery.cut?.contains("torn tail") == true)
            #expect(recovery.cut?.contains("byte \(Self.offset(of: 2))") == true)
            try file.append([Array("after".utf8)])
            #expect(try Self.open(path).recovery.payloads == Array(Self.payloads.prefix(2)) + [Array("after".utf8)])
        }
    }

    @Test(
        "a damaged record before the last is refused, naming the file and the byte; with repair the file is cut there"
    )
    func damagedMiddle() async throws {
        try await TemporaryDirectory.with { folder in
            let path = folder.appendingPathComponent("records.log").path
            try Self.open(path).file.append(Self.payloads)
            var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
            bytes[Self.offset(of: 1) + 9] ^= 0x01
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            do {
                _ = try Self.open(path)
                Issue.record("a damaged file opened")
            } catch let error as SpoolError {
                #expect(error.code == .corrupt)
                #expect(error.path == path)
                #expect(error.offset == Self.offset(of: 1))
                #expect(error.description.contains("--repair"))
            }
            #expect(Array(try Data(contentsOf: URL(fileURLWithPath: path))) == bytes, "a refused file was changed")
            let (_, repaired) = try Self.open(path, repair: true)
            #expect(repaired.payloads == [Self.payloads[0]])
            #expect(repaired.cut?.contains("repaired") == true)
            #expect(try Self.open(path).recovery.payloads == [Self.payloads[0]])
        }
    }

    @Test("a file of another kind is refused and left as it was")
    func otherKind() async throws {
        try await TemporaryDirectory.with { folder in
            let path = folder.appendingPathComponent("records.log").path
            let text = Data("name: not a record file\nseed: 1\n".utf8)
            try text.write(to: URL(fileURLWithPath: path))
            #expect(throws: SpoolError.self) { _ = try Self.open(path) }
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == text)
        }
    }

    @Test("a rewrite replaces every record at once")
    func rewrite() async throws {
        try await TemporaryDirectory.with { folder in
            let path = folder.appendingPathComponent("records.log").path
            let (file, _) = try Self.open(path)
            try file.append(Self.payloads)
            try file.rewrite([Self.payloads[1]])
            try file.append([Self.payloads[0]])
            #expect(try Self.open(path).recovery.payloads == [Self.payloads[1], Self.payloads[0]])
            #expect(!FileManager.default.fileExists(atPath: path + ".new"))
        }
    }
}
