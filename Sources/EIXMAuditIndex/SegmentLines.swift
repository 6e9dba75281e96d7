import EIXMAudit
import Foundation

/// Reads single record lines of a log's segments by their place (segment number, byte offset, length).
final class SegmentLines {
    let log: URL
    private var open: [Int: FileHandle] = [:]

    init(log: URL) { self.log = log }

    deinit { for handle in open.values { try? handle.close() } }

    func line(segment: Int, offset: Int64, length: Int) throws -> String {
        let handle: FileHandle
        if let known = open[segment] {
            handle = known
        } else {
            let url = log.appendingPathComponent(AuditSegments.name(segment))
            guard let opened = FileHandle(forReadingAtPath: url.path) else {
                throw AuditError(path: url.path, "cannot open the segment the index points to")
            }
            open[segment] = opened
            handle = opened
        }
        try handle.seek(toOffset: UInt64(offset))
        let data = try handle.read(upToCount: length) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
