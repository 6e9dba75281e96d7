import Foundation

/// One file of checksummed records (the spool's framing: `length:u32 crc32c:u32 payload` after a magic header),
/// appended and synced by the caller's thread: for what a process must remember across its own crash at a modest
/// rate (an `eixm node`'s state), where the spool's writer thread and segments would be more than is needed.
///
/// Opening reads every whole record, cuts a torn tail (and says so), and refuses damage before the tail (naming the
/// file and the byte) unless `repair` is given.
public final class RecordFile {
    /// What opening found.
    public struct Recovery: Sendable {
        /// Every whole record's payload, oldest first.
        public let payloads: [[UInt8]]
        /// What was cut, in a sentence; `nil` when the file was whole.
        public let cut: String?
    }

    public let path: String
    private let magic: [UInt8]
    private var descriptor: Int32

    /// Opens (or creates) the file at `path`, whose records start after `magic`; `kind` names them in errors.
    /// `accept` says whether a payload whose checksum holds is a record of this kind.
    public static func open(
        path: String,
        magic: String,
        kind: String,
        repair: Bool = false,
        accept: ([UInt8]) -> Bool = { _ in true }
    ) throws(SpoolError) -> (file: RecordFile, recovery: Recovery) {
        let magic = Array(magic.utf8)
        let bytes: [UInt8]
        if FileManager.default.fileExists(atPath: path) {
            do {
                bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
            } catch {
                throw SpoolError(.io, path: path, "cannot read: \(error.localizedDescription)")
            }
        } else {
            bytes = []
        }
        var payloads: [[UInt8]] = []
        var damage: SpoolSegments.Damage?
        if bytes.count < magic.count {
            if !bytes.isEmpty {
                damage = .init(
                    offset: 0,
                    reason: "\(bytes.count) byte(s), shorter than the file header",
                    tornIfLast: true
                )
            }
        } else if !bytes.starts(with: magic) {
            damage = .init(
                offset: 0,
                reason: "not \(kind) (no \(String(decoding: magic, as: UTF8.self)) header)",
                tornIfLast: false
            )
        } else {
            damage = SpoolSegments.readRecords(bytes, from: magic.count, kind: kind) { payload in
                guard accept(Array(payload)) else { return false }
                payloads.append(Array(payload))
                return true
            }
        }
        if let damage, !damage.tornIfLast, !repair {
            throw SpoolError(
                .corrupt,
                path: path,
                offset: damage.offset,
                damage.reason + " (use --repair to cut the file from there)"
            )
        }
        let descriptor = Foundation.open(path, O_WRONLY | O_CREAT, 0o644)
        guard descriptor >= 0 else {
            throw SpoolError(.io, path: path, "cannot open: \(String(cString: strerror(errno)))")
        }
        let file = RecordFile(path: path, magic: magic, descriptor: descriptor)
        var keep = bytes.count
        if let damage { keep = damage.offset < magic.count ? 0 : damage.offset }
        try file.cut(to: keep)
        let cut = damage.map {
            "\(path): \($0.tornIfLast ? "torn tail" : "repaired"): \($0.reason); cut from byte \(keep)"
        }
        return (file, Recovery(payloads: payloads, cut: cut))
    }

    private init(path: String, magic: [UInt8], descriptor: Int32) {
        self.path = path
        self.magic = magic
        self.descriptor = descriptor
    }

    deinit { Foundation.close(descriptor) }

    /// Appends records and syncs them; on a failure the file is cut back to where they began, so that no partial
    /// record stays.
    public func append(_ payloads: [[UInt8]]) throws(SpoolError) {
        guard !payloads.isEmpty else { return }
        var bytes: [UInt8] = []
        for payload in payloads { SpoolSegments.frame(payload, into: &bytes) }
        let start = lseek(descriptor, 0, SEEK_END)
        try write(bytes, restoring: start)
    }

    /// Replaces the whole file with `payloads`, atomically (a new file synced, then renamed over the old one): how
    /// the caller compacts it.
    public func rewrite(_ payloads: [[UInt8]]) throws(SpoolError) {
        let temporary = path + ".new"
        let descriptor = Foundation.open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else {
            throw SpoolError(.io, path: temporary, "cannot open: \(String(cString: strerror(errno)))")
        }
        var bytes = magic
        for payload in payloads { SpoolSegments.frame(payload, into: &bytes) }
        let written = bytes.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(descriptor) == 0 else {
            let reason = String(cString: strerror(errno))
            Foundation.close(descriptor)
            unlink(temporary)
            throw SpoolError(.io, path: temporary, "cannot write \(bytes.count) byte(s): \(reason)")
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            Foundation.close(descriptor)
            throw SpoolError(.io, path: path, "cannot replace: \(reason)")
        }
        Foundation.close(self.descriptor)
        self.descriptor = descriptor
        syncFolder()
    }

    /// Cuts the file to `length` bytes (writing the header into an empty file) and syncs it.
    private func cut(to length: Int) throws(SpoolError) {
        guard ftruncate(descriptor, off_t(length)) == 0 else {
            throw SpoolError(.io, path: path, "cannot cut: \(String(cString: strerror(errno)))")
        }
        if length == 0 {
            try write(magic, restoring: 0)
            syncFolder()
        } else if fsync(descriptor) != 0 {
            throw SpoolError(.io, path: path, "cannot sync: \(String(cString: strerror(errno)))")
        }
    }

    private func write(_ bytes: [UInt8], restoring start: off_t) throws(SpoolError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes {
                pwrite(descriptor, $0.baseAddress, $0.count, start + off_t(offset))
            }
            guard written > 0 else {
                let reason = String(cString: strerror(errno))
                _ = ftruncate(descriptor, start)
                throw SpoolError(.io, path: path, "cannot write \(bytes.count) byte(s): \(reason)")
            }
            offset += written
        }
        guard fsync(descriptor) == 0 else {
            let reason = String(cString: strerror(errno))
            _ = ftruncate(descriptor, start)
            throw SpoolError(.io, path: path, "cannot sync: \(reason)")
        }
    }

    private func syncFolder() {
        let folder = Foundation.open((path as NSString).deletingLastPathComponent, O_RDONLY)
        guard folder >= 0 else { return }
        _ = fsync(folder)
        Foundation.close(folder)
    }
}
