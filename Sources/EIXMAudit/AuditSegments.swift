import Foundation

/// The segment files of an audit folder, in order: `audit-000001.jsonl`, `audit-000002.jsonl`, ...
public enum AuditSegments {
    public struct Segment: Hashable, Sendable {
        public let index: Int
        public let name: String
    }

    /// A segment's bytes, copied into an array.
    public static func read(_ url: URL) throws -> [UInt8] { try withMapped(url) { Array($0) } }

    /// Calls `body` with a segment's bytes mapped into memory (no copy; the pages are the file cache's), unmapped
    /// when it returns.
    public static func withMapped<Result>(
        _ url: URL,
        _ body: (UnsafeBufferPointer<UInt8>) throws -> Result
    ) throws -> Result {
        let descriptor = open(url.path, O_RDONLY)
        guard descriptor >= 0 else {
            throw AuditError(path: url.path, "cannot open: \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw AuditError(path: url.path, "cannot stat: \(String(cString: strerror(errno)))")
        }
        let size = Int(status.st_size)
        guard size > 0 else { return try body(UnsafeBufferPointer(start: nil, count: 0)) }
        guard let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), mapped != MAP_FAILED else {
            throw AuditError(path: url.path, "cannot map: \(String(cString: strerror(errno)))")
        }
        defer { munmap(mapped, size) }
        madvise(mapped, size, MADV_SEQUENTIAL)
        return try body(UnsafeBufferPointer(start: mapped.assumingMemoryBound(to: UInt8.self), count: size))
    }

    /// The file name of segment `index`.
    public static func name(_ index: Int) -> String { String(format: "audit-%06d.jsonl", index) }

    public static func list(_ directory: URL) throws -> [Segment] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw AuditError(path: directory.path, "cannot read the audit folder: \(error.localizedDescription)")
        }
        return names.compactMap { name -> Segment? in
            guard name.hasPrefix("audit-"), name.hasSuffix(".jsonl"), let index = Int(name.dropFirst(6).dropLast(6))
            else { return nil }
            return Segment(index: index, name: name)
        }.sorted { $0.index < $1.index }
    }

    /// The lines of the log that contain `marker`, with their place in the log (counting every line from 0, which is
    /// the seq of a log that verifies). Reads one segment at a time.
    static func lines(of directory: URL, containing marker: String) throws -> [(index: UInt64, text: String)] {
        let needle = Array(marker.utf8)
        var found: [(UInt64, String)] = []
        var index: UInt64 = 0
        for segment in try list(directory) {
            let bytes = try read(directory.appendingPathComponent(segment.name))
            guard !bytes.isEmpty else { continue }
            for line in bytes.split(separator: 0x0A, omittingEmptySubsequences: false).dropLast(
                bytes.last == 0x0A ? 1 : 0
            ) {
                if AuditReader.contains(line, all: [needle]) {
                    found.append((index, String(decoding: line, as: UTF8.self)))
                }
                index += 1
            }
        }
        return found
    }
}
