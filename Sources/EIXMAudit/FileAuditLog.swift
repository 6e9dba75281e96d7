import Crypto
import EIXMMerkle
import EIXMModel
import Foundation
import Metrics

/// The durable audit log: append-only segment files of hash-chained JSON records, a Merkle tree over them and
/// checkpoints that are signed tree heads (the latest also in the witness file), written by a thread of its own
/// with group commit, so that appending never blocks the router.
///
/// Every write batch ends with a checkpoint (a signed tree head over every record before it), written and synced
/// with the batch before anyone waiting on it hears it is stored: whatever the router promised is sealed. The
/// witness file gets the latest tree head every `checkpointSeconds` (or `checkpointEvery` records) and at the close.
///
/// Opening a folder that holds a log verifies it and continues its chain. After a crash only the tail that no
/// checkpoint sealed is cut (a torn last line, the records of a batch the crash interrupted): it was never promised,
/// and a tail rewritten since cannot survive as sealed. Any other damage is refused. A log that was not closed is
/// reported (``recovery``) and recorded in a `recovered` record. Closing writes the final checkpoint and syncs.
public final class FileAuditLog: AuditSink {
    /// What opening found at the end of an existing log that was not closed (a crash): where it ended, what was cut
    /// (a torn last line or a last record whose hash does not match, then every whole record no checkpoint had
    /// sealed), and how many whole records that was.
    public struct Recovery: Sendable, Hashable, CustomStringConvertible {
        public let segment: String
        /// The seq of the last record kept (nil: none).
        public let endedAt: UInt64?
        public let bytesCut: Int
        /// What was cut, in words (nil: nothing).
        public let cut: String?
        public let unsealed: Int

        public var description: String {
            var parts = [
                endedAt.map { "the log ended at record \($0) without a closing checkpoint (crashed)" }
                    ?? "the log held no whole record"
            ]
            if let cut { parts.append("cut \(bytesCut) byte(s) from the end of \(segment): \(cut)") }
            return parts.joined(separator: "; ")
        }
    }

    public let directory: URL
    public let configuration: AuditLogConfiguration
    /// Set when opening cut a torn tail.
    public let recovery: Recovery?

    /// The events appended, each append's array kept whole, for the writer thread to record.
    private let queue = WriterQueue<AuditEvent>()
    private let core: Locked<Core>
    private let lastError = Locked<AuditError?>(nil)

    /// Opens (or creates) the log in `directory` and starts its writer.
    public init(
        directory: URL,
        signer: AuditSigner,
        configuration: AuditLogConfiguration = AuditLogConfiguration()
    ) throws {
        self.directory = directory
        self.configuration = configuration
        var core = try Core(directory: directory, signer: signer, configuration: configuration)
        recovery = try core.open()
        self.core = Locked(core)
        NamedThread.start("eixm.audit") { [self] in self.writeLoop() }
    }

    public func append(_ events: [AuditEvent]) {
        // Formatted by the writer, not here: the caller is the router's actor, through which every message passes.
        queue.append(events)
    }

    public func whenStored(_ done: @escaping @Sendable (StorageOutcome) -> Void) {
        guard !queue.whenStored(done) else { return }
        done(
            lastError.withLock { $0 }.map { .failed("\($0)") }
                ?? .failed("the audit log at \(directory.path) is closed")
        )
    }

    /// Writes what is pending, a final checkpoint, syncs and stops the writer. Throws the first write error seen.
    /// Blocks the calling thread until the writer has ended; a task calls the async `close()`.
    public func close() throws {
        guard queue.beginClosing() else { return }
        queue.waitUntilEnded()
        if let error = lastError.withLock({ $0 }) { throw error }
    }

    /// The same, suspending the calling task (no thread of the cooperative pool is held while the log syncs).
    public func close() async throws {
        guard queue.beginClosing() else { return }
        await queue.waitUntilEnded()
        if let error = lastError.withLock({ $0 }) { throw error }
    }

    /// Stops as a crash would: what is pending is not written (no final checkpoint either), its waiters hear nothing,
    /// and once this returns the writer writes nothing more (a write under way completes first, as it would before a
    /// kill). For faults on purpose: the folder is then opened again as after a crash, and recovered.
    public func halt() { queue.halt() }

    /// The number of records written so far (the next sequence number).
    public var recordCount: UInt64 { core.withLock { $0.seq } }

    /// The last signed tree head written (at the last checkpoint).
    public var treeHead: AuditTreeHead? { core.withLock { $0.lastHead } }

    private func writeLoop() {
        let window = DispatchTimeInterval.milliseconds(configuration.batchWindowMilliseconds)
        let checkpointTimer = DispatchTimeInterval.milliseconds(Int(configuration.checkpointSeconds * 1000))
        let linger = DispatchTimeInterval.milliseconds(configuration.lingerMilliseconds)
        while true {
            // Events appended with no question about them yet wait (up to the linger) for one: one commit for both.
            queue.waitForWork(until: .now() + checkpointTimer, linger: linger)
            if configuration.fsync == .batch, configuration.batchWindowMilliseconds > 0 {
                // Group commit: gather what arrives within the window into one write and one sync.
                queue.gather(for: window)
            }
            let work = queue.take()
            if work.halted {
                core.withLock { $0.closeFile() }
                queue.ended()
                return
            }
            var outcome = StorageOutcome.stored
            core.withLock { core in
                let mark = core.mark
                do {
                    if let last = work.batches.last?.last { core.lastSimulatedTime = last.simulatedTime }
                    // Sealed in the same write and sync as the batch (the final checkpoint seals the last one).
                    try core.write(work.batches, seal: !work.closing)
                    if work.closing {
                        try core.checkpoint(final: true)
                        try core.sync()
                        core.closeFile()
                    }
                    try core.publishTreeHead(force: work.closing)
                } catch {
                    // A full disk or an I/O error: the batch is cut off again and the chain goes on from where it
                    // began, so that what is stored stays a whole chain and a later batch follows it. Nothing in the
                    // batch was promised (its waiters are told it failed).
                    let failure = error as? AuditError ?? AuditError(path: directory.path, "\(error)")
                    lastError.withLock { if $0 == nil { $0 = failure } }
                    outcome = .failed("\(failure)")
                    core.rollBack(to: mark)
                    if work.closing { core.closeFile() }
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

/// The writer's state: the open segment, the chain's head, the checkpoint counters. Used by the writer thread.
private struct Core {
    let directory: URL
    let signer: AuditSigner
    let configuration: AuditLogConfiguration
    var segment = 0
    var descriptor: Int32 = -1
    var segmentSize = 0
    var seq: UInt64 = 0
    /// The last record's hash, 64 hex digits.
    var prev = Array(AuditRecordFormat.zeroHash.utf8)
    var tree = MerkleTree()
    /// The last signed tree head, and one written into the log but not yet to the witness file.
    var lastHead: AuditTreeHead?
    var unpublished: AuditTreeHead?
    var sinceCheckpoint = 0
    /// When the witness file last got a tree head, and that head's size.
    var lastPublished = Date()
    var publishedSize: UInt64 = 0
    var lastSimulatedTime = Timestamp(Date())
    /// How long each fsync of the log takes, for whoever scrapes the process.
    let fsyncDuration = Timer(label: "eixm_audit_fsync_duration_seconds")

    init(directory: URL, signer: AuditSigner, configuration: AuditLogConfiguration) throws {
        self.directory = directory
        self.signer = signer
        self.configuration = configuration
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw AuditError(path: directory.path, "cannot create the audit folder: \(error.localizedDescription)")
        }
    }

    /// Finds the end of an existing chain or starts a new one. An existing log is verified whole with the signer's
    /// key before anything is written; only a torn tail is cut (an incomplete last line, or a last record whose
    /// hash does not match), and only when the rest verifies and still holds every record the witness file's tree
    /// head covers. Any other damage is refused, naming the first bad record, and nothing is changed.
    mutating func open() throws -> FileAuditLog.Recovery? {
        let segments = try AuditSegments.list(directory)
        guard let last = segments.last else {
            try openSegment(1, creating: true)
            try writeOpened(recovery: nil)
            return nil
        }
        let url = directory.appendingPathComponent(last.name)
        let bytes = try AuditSegments.read(url)
        let (keep, cut) = Self.tornTail(bytes)
        let witness = try readWitness()
        let verification = try AuditVerifier.verify(
            directory: directory,
            trustedKey: signer.publicKey,
            expected: witness.map { AuditVerifier.Expectation(treeSize: $0.treeSize, root: $0.rootBytes) },
            lastSegmentLength: keep
        )
        if let problem = verification.problem, ![.unsealedTail, .notClosed, .emptyLog].contains(problem.kind) {
            let dropped =
                problem.kind == .cutShort && keep < bytes.count
                ? " (the cut of a torn tail would drop records it covers)" : ""
            throw AuditError(
                path: directory.path,
                "refusing to recover the audit log, nothing was changed: \(problem)\(dropped)"
            )
        }
        if keep < bytes.count {
            guard truncate(url.path, off_t(keep)) == 0 else {
                throw AuditError(path: url.path, "cannot cut the torn tail: \(String(cString: strerror(errno)))")
            }
        }
        var state = verification
        var bytesCut = bytes.count - keep
        var what = cut.map { [$0] } ?? []
        var segmentIndex = last.index
        if verification.unsealed > 0 {
            // Whole records no checkpoint sealed: a batch the crash interrupted before its seal, never promised to
            // anyone (or records appended since by someone without the key). Cut, not sealed.
            bytesCut += try cutUnsealed(after: verification.sealedEnd, segments: segments)
            what.append("\(verification.unsealed) record(s) no checkpoint sealed (never promised)")
            state = try AuditVerifier.verify(directory: directory, trustedKey: signer.publicKey, expected: nil)
            segmentIndex = try AuditSegments.list(directory).last?.index ?? 1
        }
        seq = UInt64(state.records)
        prev = Array(state.chainHead.utf8)
        tree = state.tree
        lastHead = state.lastTreeHead
        publishedSize = witness?.treeSize ?? 0
        try openSegment(segmentIndex, creating: true)
        var recovery: FileAuditLog.Recovery?
        if !what.isEmpty || (seq > 0 && !state.closed) {
            recovery = FileAuditLog.Recovery(
                segment: last.name,
                endedAt: seq > 0 ? seq - 1 : nil,
                bytesCut: bytesCut,
                cut: what.isEmpty ? nil : what.joined(separator: "; "),
                unsealed: verification.unsealed
            )
        }
        try writeOpened(recovery: recovery)
        return recovery
    }

    /// Cuts everything after the last checkpoint (`sealedEnd`: its segment and the offset after its line; `nil`: no
    /// checkpoint at all, so every segment goes). Returns how many bytes were cut.
    private func cutUnsealed(
        after sealedEnd: (segment: String, offset: Int)?,
        segments: [AuditSegments.Segment]
    ) throws -> Int {
        var cut = 0
        var pastSeal = false
        for segment in segments {
            let path = directory.appendingPathComponent(segment.name).path
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            if let sealedEnd, segment.name == sealedEnd.segment {
                pastSeal = true
                guard truncate(path, off_t(sealedEnd.offset)) == 0 else {
                    throw AuditError(path: path, "cannot cut the unsealed tail: \(String(cString: strerror(errno)))")
                }
                cut += size - sealedEnd.offset
            } else if pastSeal || sealedEnd == nil {
                guard unlink(path) == 0 else {
                    throw AuditError(
                        path: path,
                        "cannot remove an unsealed segment: \(String(cString: strerror(errno)))"
                    )
                }
                cut += size
            }
        }
        return cut
    }

    /// How much of the last segment to keep: all of it, or all but an incomplete last line, or all but a last line
    /// that is not an intact record; and what is cut, in words.
    static func tornTail(_ bytes: [UInt8]) -> (keep: Int, cut: String?) {
        guard let lastByte = bytes.last else { return (0, nil) }
        if lastByte != 0x0A {
            let keep = bytes.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
            return (keep, "an incomplete last line (\(bytes.count - keep) byte(s) without a newline)")
        }
        let start = bytes[..<(bytes.count - 1)].lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
        guard let fields = AuditRecordFormat.chainFields(of: bytes[start..<(bytes.count - 1)]), fields.fields.isIntact
        else {
            return (start, "a last record whose hash does not match its content")
        }
        return (bytes.count, nil)
    }

    /// The witness file's tree head, which must be signed by this log's key; nil when there is none.
    func readWitness() throws -> AuditTreeHead? {
        guard let file = configuration.treeHeadFile, FileManager.default.fileExists(atPath: file.path) else {
            return nil
        }
        let head = try AuditTreeHead.read(from: file)
        guard head.isSigned(by: signer.publicKey) else {
            throw AuditError(
                path: file.path,
                "refusing to recover the audit log: this tree head is not signed by the router's key"
            )
        }
        return head
    }

    /// The record that starts each life of the log, and after a crash the one that says what recovery found.
    private mutating func writeOpened(recovery: FileAuditLog.Recovery?) throws {
        var opened = JSONFields()
        opened.string("signer", signer.signer)
        opened.string("public_key", AuditRecordFormat.hex(signer.publicKey.rawRepresentation))
        try writeRecord(event: "opened", fields: opened, real: Timestamp(Date()), simulated: lastSimulatedTime)
        if let recovery {
            var recovered = JSONFields()
            recovered.number("bytes_cut", recovery.bytesCut)
            recovered.number("unsealed", recovery.unsealed)
            recovered.strings("reasons", ["\(recovery)"])
            try writeRecord(
                event: "recovered",
                fields: recovered,
                real: Timestamp(Date()),
                simulated: lastSimulatedTime
            )
        }
        // Sealed at once: a crash before the first batch keeps the record of this life.
        try checkpoint(final: false)
        try sync()
    }

    mutating func openSegment(_ index: Int, creating: Bool) throws {
        closeFile()
        let path = directory.appendingPathComponent(AuditSegments.name(index)).path
        descriptor = Foundation.open(path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        guard descriptor >= 0 else { throw AuditError(path: path, "cannot open: \(String(cString: strerror(errno)))") }
        var status = stat()
        fstat(descriptor, &status)
        segmentSize = Int(status.st_size)
        segment = index
    }

    mutating func closeFile() {
        if descriptor >= 0 { Foundation.close(descriptor) }
        descriptor = -1
    }

    /// Where the chain stands: what a failed batch is rolled back to.
    struct Mark {
        let segment: Int
        let segmentSize: Int
        let seq: UInt64
        let prev: [UInt8]
        let tree: MerkleTree
        let sinceCheckpoint: Int
        let lastHead: AuditTreeHead?
    }

    var mark: Mark {
        Mark(
            segment: segment,
            segmentSize: segmentSize,
            seq: seq,
            prev: prev,
            tree: tree,
            sinceCheckpoint: sinceCheckpoint,
            lastHead: lastHead
        )
    }

    /// Cuts what was written since `mark` (deleting the segments begun since) and puts the chain's head back there.
    /// Best effort: if even the cut fails, the next open finds the damaged tail and cuts it.
    mutating func rollBack(to mark: Mark) {
        if segment != mark.segment {
            for index in mark.segment + 1...segment {
                unlink(directory.appendingPathComponent(AuditSegments.name(index)).path)
            }
            try? openSegment(mark.segment, creating: false)
        }
        if descriptor >= 0 { _ = ftruncate(descriptor, off_t(mark.segmentSize)) }
        segmentSize = mark.segmentSize
        seq = mark.seq
        prev = mark.prev
        tree = mark.tree
        sinceCheckpoint = mark.sinceCheckpoint
        lastHead = mark.lastHead
        unpublished = nil
    }

    /// Formats and chains the events' records and writes them with one call per segment; with `seal`, a checkpoint
    /// ends the batch; then syncs as the policy says.
    mutating func write(_ appended: [[AuditEvent]], seal: Bool) throws {
        let count = appended.reduce(0) { $0 + $1.count }
        guard count > 0 else { return }
        // A record is about 500 bytes: room for all at once, no regrowing copies.
        var buffer = JSONFields(capacity: count * 640)
        // Each event read in place (by index): a copy of each would retain and release its every field.
        for events in appended {
            for index in events.indices {
                let start = buffer.bytes.count
                AuditRecordFormat.line(
                    seq: seq,
                    realTime: events[index].realTime,
                    simulatedTime: events[index].simulatedTime,
                    event: events[index].kind.rawValue,
                    chain: &prev,
                    into: &buffer
                ) { events[index].writeFields(into: &$0) }
                appendLeaf(buffer.bytes, start)
                seq += 1
                sinceCheckpoint += 1
                if sinceCheckpoint >= configuration.checkpointEvery {
                    try flush(&buffer.bytes)
                    try checkpoint(final: false)
                }
                if segmentSize + buffer.bytes.count >= configuration.segmentBytes {
                    try flush(&buffer.bytes)
                    try roll()
                }
            }
        }
        try flush(&buffer.bytes)
        if seal, sinceCheckpoint > 0 { try checkpoint(final: false) }
        if configuration.fsync != .none { try sync() }
    }

    mutating func writeRecord(event: String, fields: JSONFields, real: Timestamp, simulated: Timestamp) throws {
        var line = JSONFields(capacity: fields.bytes.count + 256)
        AuditRecordFormat.line(
            seq: seq,
            realTime: real,
            simulatedTime: simulated,
            event: event,
            chain: &prev,
            into: &line
        ) { $0.bytes.append(contentsOf: fields.bytes) }
        appendLeaf(line.bytes, 0)
        seq += 1
        try flush(&line.bytes)
    }

    /// Adds the line that starts at `start` of `buffer` (and ends with its newline) to the Merkle tree.
    private mutating func appendLeaf(_ buffer: [UInt8], _ start: Int) {
        guard configuration.keepsMerkleTree else { return }
        buffer.withUnsafeBytes { tree.append(entryIn: UnsafeRawBufferPointer(rebasing: $0[start..<$0.count - 1])) }
    }

    private mutating func flush(_ buffer: inout [UInt8]) throws {
        var offset = 0
        while offset < buffer.count {
            let written = buffer[offset...].withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
            guard written > 0 else {
                throw AuditError(
                    path: directory.appendingPathComponent(AuditSegments.name(segment)).path,
                    "write failed: \(String(cString: strerror(errno)))"
                )
            }
            offset += written
        }
        segmentSize += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }

    private mutating func roll() throws {
        try sync()
        try openSegment(segment + 1, creating: true)
    }

    func sync() throws {
        let started = ContinuousClock.now
        defer { fsyncDuration.record(duration: ContinuousClock.now - started) }
        guard descriptor >= 0, fsync(descriptor) == 0 else {
            if descriptor < 0 { return }
            throw AuditError(
                path: directory.appendingPathComponent(AuditSegments.name(segment)).path,
                "fsync failed: \(String(cString: strerror(errno)))"
            )
        }
    }

    /// A signed tree head over every record before it; `final` when the log closes with it.
    mutating func checkpoint(final: Bool) throws {
        let now = Timestamp(Date())
        let head = try AuditTreeHead(
            treeSize: seq,
            root: tree.root,
            chainHead: String(decoding: prev, as: UTF8.self),
            final: final,
            time: now.rfc3339,
            signer: signer
        )
        var fields = JSONFields()
        fields.string("signer", head.signer)
        fields.string("public_key", head.publicKey)
        fields.number("tree_size", head.treeSize)
        fields.string("root", head.root)
        fields.string("head", head.chainHead)
        fields.bool("final", final)
        fields.string("signature", head.signature)
        try writeRecord(event: "checkpoint", fields: fields, real: now, simulated: lastSimulatedTime)
        sinceCheckpoint = 0
        lastHead = head
        unpublished = head
    }

    /// Writes the last tree head to the witness file, once what it covers has been written (and synced, as the
    /// fsync policy says): when `force`d (the close), or when `checkpointSeconds` have passed or `checkpointEvery`
    /// records been written since the last one it got.
    mutating func publishTreeHead(force: Bool) throws {
        guard let head = unpublished else { return }
        guard
            force || Date().timeIntervalSince(lastPublished) >= configuration.checkpointSeconds
                || head.treeSize - publishedSize >= UInt64(configuration.checkpointEvery)
        else { return }
        unpublished = nil
        lastPublished = Date()
        publishedSize = head.treeSize
        try configuration.treeHeadFile.map { try head.write(to: $0) }
    }
}
