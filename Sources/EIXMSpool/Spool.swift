import DequeModule
import EIXMModel
import Foundation

/// The router's write-ahead spool: what it accepted (envelope, recipients, deadline), which deliveries were
/// acknowledged, and which deadlines were counted as breached, in segment files of checksummed records.
///
/// A writer thread of its own takes what the router appends and writes it in batches with one sync each (group
/// commit); ``whenStored(_:)`` says when everything appended before it is on disk, so that the router answers only
/// then. Opening a folder recovers it: a torn tail is cut and reported, damage elsewhere is refused unless `repair`
/// is given, and the records are handed back for the router to rebuild its state. Segments whose deliveries are all
/// done, and that hold none of the latest `retainMessages` accepted messages, are deleted.
public final class Spool: Sendable {
    /// What opening found.
    public struct Recovery: Sendable {
        /// Every record still in the spool, oldest first.
        public let records: [SpoolRecord]
        /// What was cut (a torn tail, or damage cut with `repair`), in a sentence; `nil` when the spool was whole.
        public let cut: String?
        public let segments: Int

        /// The IDs of the accepted messages among `records`.
        public var acceptedIDs: Set<UUID> {
            Set(
                records.compactMap { record in
                    guard case .accepted(let message) = record else { return nil }
                    return message.id
                }
            )
        }

        /// Whether opening found nothing: no record and nothing cut.
        public var isEmpty: Bool { records.isEmpty && cut == nil }

        /// The ID of the last accepted message among `records`: the newest the spool stored.
        public var newestAcceptedID: UUID? {
            for record in records.reversed() {
                if case .accepted(let message) = record { return message.id }
            }
            return nil
        }
    }

    public let directory: URL
    public let configuration: SpoolConfiguration

    /// What a record means for deleting segments.
    enum Note: Sendable {
        case accepted(UUID, targets: Int)
        case delivered(UUID)
        case other
    }

    /// The records appended, each append's array kept whole; encoded by the writer, not by the caller (the caller is
    /// the router's actor, through which every message passes).
    private let queue = WriterQueue<SpoolRecord>()
    private let writer: Locked<SpoolWriter>

    /// Opens (or creates) the spool in `directory`, recovers it, and starts its writer.
    public static func open(
        directory: URL,
        configuration: SpoolConfiguration = SpoolConfiguration(),
        repair: Bool = false
    ) throws(SpoolError) -> (spool: Spool, recovery: Recovery) {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw SpoolError(.io, path: directory.path, "cannot create the spool folder: \(error.localizedDescription)")
        }
        let scan = try SpoolScan(directory: directory, repair: repair)
        let writer = try SpoolWriter(directory: directory, configuration: configuration, scan: scan)
        let recovery = Recovery(
            records: scan.records.map(\.record),
            cut: scan.cut.map {
                "\(SpoolSegments.name($0.segment)): \($0.reason); cut \($0.later.isEmpty ? "" : "it and \($0.later.count) later segment(s) ")from byte \($0.keep)"
            },
            segments: scan.segments.count
        )
        return (Spool(directory: directory, configuration: configuration, writer: writer), recovery)
    }

    private init(directory: URL, configuration: SpoolConfiguration, writer: SpoolWriter) {
        self.directory = directory
        self.configuration = configuration
        self.writer = Locked(writer)
        NamedThread.start("eixm.spool") { [self] in self.writeLoop() }
    }

    /// Queues records for the writer, which frames them (``encoded(_:)``) off the caller's thread.
    public func append(_ records: [SpoolRecord]) { queue.append(records) }

    /// The records framed for the segment file (length, CRC-32C, payload), and what each means for deleting segments.
    private static func encoded(_ batches: [[SpoolRecord]]) -> (bytes: [UInt8], notes: [Note]) {
        var bytes: [UInt8] = []
        var notes: [Note] = []
        notes.reserveCapacity(batches.reduce(0) { $0 + $1.count })
        for records in batches {
            for record in records {
                SpoolSegments.frame(record.payload(), into: &bytes)
                switch record {
                case .accepted(let message): notes.append(.accepted(message.id, targets: message.targets.count))
                case .delivered(let id, _): notes.append(.delivered(id))
                case .deadlineBreached: notes.append(.other)
                }
            }
        }
        return (bytes, notes)
    }

    /// Calls `done` (on the writer's thread) once every record appended before this call is on disk, or could not be.
    public func whenStored(_ done: @escaping @Sendable (StorageOutcome) -> Void) {
        if !queue.whenStored(done) { done(.failed("the spool at \(directory.path) is closed")) }
    }

    /// Writes what is pending, syncs, and stops the writer. Blocks the calling thread until the writer has ended; a
    /// task calls the async `close()`.
    public func close() {
        if queue.beginClosing() { queue.waitUntilEnded() }
    }

    /// The same, suspending the calling task.
    public func close() async {
        if queue.beginClosing() { await queue.waitUntilEnded() }
    }

    /// Stops as a crash would: what is pending is not written, its waiters hear nothing, and once this returns the
    /// writer writes nothing more (a write under way when it is called completes first, as it would before a kill).
    /// For faults on purpose: the spool's folder is then opened again as after a crash.
    public func halt() { queue.halt() }

    /// The segment files present now.
    public var segmentCount: Int { writer.withLock { $0.segments.count } }

    /// Batches written (each with one sync, as configured) since the spool was opened.
    public var commitCount: Int { writer.withLock { $0.commits } }

    private func writeLoop() {
        let linger = DispatchTimeInterval.milliseconds(configuration.lingerMilliseconds)
        while true {
            // Records appended with no question about them yet wait (up to the linger) for one, so that they are
            // written and synced with what it covers, in one commit.
            queue.waitForWork(linger: linger)
            let work = queue.take()
            if work.halted {
                writer.withLock { $0.closeFile() }
                queue.ended()
                return
            }
            let (bytes, notes) = Self.encoded(work.batches)
            let outcome = writer.withLock { writer -> StorageOutcome in
                do {
                    try writer.write(bytes, notes)
                    if work.closing { writer.closeFile() }
                    return .stored
                } catch {
                    return .failed("\(error)")
                }
            }
            queue.answer(work, outcome)
            if work.closing {
                queue.ended()
                return
            }
        }
    }
}
