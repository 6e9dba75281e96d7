import DequeModule
import EIXMModel
import Foundation
import Metrics

/// The spool writer's state, used by its thread only: the open segment, and what each segment still holds, so that
/// segments no longer needed are deleted.
struct SpoolWriter {
    struct Segment {
        let index: Int
        /// Accepted messages in this segment.
        var accepted = 0
        /// (message, recipient) pairs of those not yet acknowledged.
        var outstanding = 0
    }

    let directory: URL
    let configuration: SpoolConfiguration
    private(set) var segments: Deque<Segment> = []
    /// Accepted messages with deliveries outstanding: the segment holding each, and how many deliveries remain.
    private var owners: [UUID: (segment: Int, remaining: Int)] = [:]
    private var descriptor: Int32 = -1
    private var size = 0
    /// Batches written (and synced, as configured) since the spool was opened.
    private(set) var commits = 0
    /// How long each fsync of a commit takes, for whoever scrapes the process.
    private let fsyncDuration = Timer(label: "eixm_spool_fsync_duration_seconds")

    init(directory: URL, configuration: SpoolConfiguration, scan: SpoolScan) throws(SpoolError) {
        self.directory = directory
        self.configuration = configuration
        var present = scan.segments
        if let cut = scan.cut {
            for index in cut.later { try remove(index) }
            present.removeAll { cut.later.contains($0) }
            let path = self.path(cut.segment)
            guard truncate(path, off_t(cut.keep >= SpoolSegments.magic.count ? cut.keep : 0)) == 0 else {
                throw SpoolError(.io, path: path, "cannot cut the spool: \(String(cString: strerror(errno)))")
            }
        }
        segments = Deque(present.map { Segment(index: $0) })
        for (segment, record) in scan.records where present.contains(segment) {
            switch record {
            case .accepted(let message): note(.accepted(message.id, targets: message.targets.count), in: segment)
            case .delivered(let id, _): note(.delivered(id), in: segment)
            case .deadlineBreached: break
            }
        }
        try openSegment(segments.last?.index ?? 1)
    }

    func path(_ index: Int) -> String { directory.appendingPathComponent(SpoolSegments.name(index)).path }

    /// Writes framed records (one write call per segment), syncs as configured, and deletes segments no longer
    /// needed. On a failed write the segment is cut back to where the batch began, so that no partial record stays.
    mutating func write(_ bytes: [UInt8], _ notes: [Note]) throws(SpoolError) {
        guard !bytes.isEmpty else { return }
        if size >= configuration.segmentBytes { try roll() }
        let start = size
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
            guard written > 0 else {
                let reason = String(cString: strerror(errno))
                _ = ftruncate(descriptor, off_t(start))
                throw SpoolError(.io, path: path(current), "cannot write \(bytes.count) byte(s): \(reason)")
            }
            offset += written
        }
        size += bytes.count
        let syncStarted = ContinuousClock.now
        let synced = configuration.fsync == .none || fsync(descriptor) == 0
        if configuration.fsync != .none { fsyncDuration.record(duration: ContinuousClock.now - syncStarted) }
        if !synced {
            let reason = String(cString: strerror(errno))
            _ = ftruncate(descriptor, off_t(start))
            size = start
            throw SpoolError(.io, path: path(current), "cannot sync: \(reason)")
        }
        commits += 1
        for note in notes { self.note(note, in: current) }
        try deleteFinished()
    }

    typealias Note = Spool.Note

    private var current: Int { segments.last?.index ?? 1 }

    private mutating func note(_ note: Note, in segment: Int) {
        switch note {
        case .accepted(let id, let targets):
            guard let position = segments.firstIndex(where: { $0.index == segment }) else { return }
            segments[position].accepted += 1
            guard targets > 0 else { return }
            segments[position].outstanding += targets
            owners[id] = (segment, targets)
        case .delivered(let id):
            guard var owner = owners[id] else { return }
            owner.remaining -= 1
            owners[id] = owner.remaining > 0 ? owner : nil
            if let position = segments.firstIndex(where: { $0.index == owner.segment }) {
                segments[position].outstanding -= 1
            }
        case .other:
            break
        }
    }

    /// Deletes the oldest segments while each is fully delivered and the newer ones hold the messages to retain.
    private mutating func deleteFinished() throws(SpoolError) {
        var newer = segments.reduce(0) { $0 + $1.accepted }
        while segments.count > 1, let oldest = segments.first, oldest.outstanding == 0 {
            newer -= oldest.accepted
            guard newer >= configuration.retainMessages else { return }
            try remove(oldest.index)
            segments.removeFirst()
        }
    }

    private func remove(_ index: Int) throws(SpoolError) {
        guard unlink(path(index)) == 0 || errno == ENOENT else {
            throw SpoolError(.io, path: path(index), "cannot delete: \(String(cString: strerror(errno)))")
        }
    }

    private mutating func roll() throws(SpoolError) {
        try openSegment(current + 1)
    }

    /// Opens segment `index` for appending, creating it (with its header, and the folder synced) when needed.
    private mutating func openSegment(_ index: Int) throws(SpoolError) {
        closeFile()
        let path = self.path(index)
        descriptor = Foundation.open(path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        guard descriptor >= 0 else {
            throw SpoolError(.io, path: path, "cannot open: \(String(cString: strerror(errno)))")
        }
        var status = stat()
        fstat(descriptor, &status)
        size = Int(status.st_size)
        if !segments.contains(where: { $0.index == index }) { segments.append(Segment(index: index)) }
        guard size == 0 else { return }
        let header = SpoolSegments.magic
        guard header.withUnsafeBytes({ Foundation.write(descriptor, $0.baseAddress, $0.count) }) == header.count,
            fsync(descriptor) == 0
        else {
            throw SpoolError(.io, path: path, "cannot write the segment header: \(String(cString: strerror(errno)))")
        }
        size = header.count
        let folder = Foundation.open(directory.path, O_RDONLY)
        if folder >= 0 {
            _ = fsync(folder)
            Foundation.close(folder)
        }
    }

    mutating func closeFile() {
        if descriptor >= 0 { Foundation.close(descriptor) }
        descriptor = -1
    }
}
