import Crypto
import EIXMModel
import Foundation

/// The durable audit log: append-only segment files of hash-chained JSON records with signed checkpoints,
/// written by a thread of its own with group commit, so that appending never blocks the router.
///
/// Opening a folder that holds a log continues its chain: a torn or partial tail left by a crash is cut back to the
/// last whole record, reported (``recovery``) and recorded in a `recovered` record. Closing writes a final
/// checkpoint and syncs.
public final class FileAuditLog: AuditSink {
    /// What opening found at the end of an existing log.
    public struct Recovery: Sendable, Hashable, CustomStringConvertible {
        public let segment: String
        public let bytesCut: Int
        public let linesCut: Int

        public var description: String {
            "cut \(bytesCut) byte(s) (\(linesCut) incomplete or damaged line(s)) from the end of \(segment)"
        }
    }

    public let directory: URL
    public let configuration: AuditLogConfiguration
    /// Set when opening cut a torn tail.
    public let recovery: Recovery?

    /// Formatted record bodies waiting for the writer, with the simulated time of the last.
    /// What the writer has to do next: formatted record bodies, with the simulated time of the last, and the callers
    /// waiting to hear that everything appended before them is stored.
    private struct Pending {
        var bodies: [[UInt8]] = []
        var waiters: [(items: Range<Int>, done: @Sendable (StorageOutcome) -> Void)] = []
        var ledger = StorageLedger()
        var lastSimulated: Timestamp?
        var closing = false
        /// Stopped as by a crash: nothing more is written.
        var halted = false
        var dropped = 0
    }

    private let pending = Locked(Pending())
    private let wake = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
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
        let thread = Thread { [self] in self.writeLoop() }
        thread.name = "eixm.audit.writer"
        thread.start()
    }

    public func append(_ events: [AuditEvent]) {
        guard let last = events.last else { return }
        // Format here, on the caller's thread: the writer only chains, hashes and writes.
        let bodies = events.map { event in
            AuditRecordFormat.body(
                realTime: event.realTime,
                simulatedTime: event.simulatedTime,
                event: event.kind.rawValue,
                fields: event.recordFields
            )
        }
        let signal = pending.withLock { state -> Bool in
            guard !state.closing else {
                state.dropped += events.count
                return false
            }
            let wasEmpty = state.bodies.isEmpty
            state.bodies.append(contentsOf: bodies)
            state.ledger.append(bodies.count)
            state.lastSimulated = last.simulatedTime
            return wasEmpty
        }
        if signal { wake.signal() }
    }

    public func whenStored(_ done: @escaping @Sendable (StorageOutcome) -> Void) {
        let queued = pending.withLock { state -> Bool in
            guard !state.closing else { return false }
            state.waiters.append((state.ledger.waiter(), done))
            return true
        }
        guard queued else {
            done(
                lastError.withLock { $0 }.map { .failed("\($0)") }
                    ?? .failed("the audit log at \(directory.path) is closed")
            )
            return
        }
        wake.signal()
    }

    /// Writes what is pending, a final checkpoint, syncs and stops the writer. Throws the first write error seen.
    public func close() throws {
        let first = pending.withLock { state -> Bool in
            defer { state.closing = true }
            return !state.closing
        }
        guard first else { return }
        wake.signal()
        finished.wait()
        if let error = lastError.withLock({ $0 }) { throw error }
    }

    /// Stops as a crash would: what is pending is not written (no final checkpoint either), its waiters hear nothing,
    /// and once this returns the writer writes nothing more (a write under way completes first, as it would before a
    /// kill). For faults on purpose: the folder is then opened again as after a crash, and recovered.
    public func halt() {
        let first = pending.withLock { state -> Bool in
            defer {
                state.closing = true
                state.halted = true
                state.bodies = []
                state.waiters = []
            }
            return !state.closing
        }
        guard first else { return }
        wake.signal()
        finished.wait()
    }

    /// The number of records written so far (the next sequence number).
    public var recordCount: UInt64 { core.withLock { $0.seq } }

    private func writeLoop() {
        let window = DispatchTimeInterval.milliseconds(configuration.batchWindowMilliseconds)
        let checkpointTimer = DispatchTimeInterval.milliseconds(Int(configuration.checkpointSeconds * 1000))
        while true {
            _ = wake.wait(timeout: .now() + checkpointTimer)
            if configuration.fsync == .batch, configuration.batchWindowMilliseconds > 0 {
                // Group commit: gather what arrives within the window into one write and one sync.
                let closing = pending.withLock { $0.closing }
                if !closing { _ = wake.wait(timeout: .now() + window) }
            }
            let (bodies, waiters, items, lastSimulated, closing, halted) = pending.withLock { state in
                defer {
                    state.bodies = []
                    state.waiters = []
                }
                return (
                    state.bodies, state.waiters, state.ledger.take(), state.lastSimulated, state.closing, state.halted
                )
            }
            if halted {
                core.withLock { $0.closeFile() }
                finished.signal()
                return
            }
            var outcome = StorageOutcome.stored
            core.withLock { core in
                let mark = core.mark
                do {
                    if let lastSimulated { core.lastSimulatedTime = lastSimulated }
                    try core.write(bodies)
                    if closing {
                        try core.checkpoint()
                        try core.sync()
                        core.closeFile()
                    } else {
                        try core.checkpointIfDue()
                    }
                } catch {
                    // A full disk or an I/O error: the batch is cut off again and the chain goes on from where it
                    // began, so that what is stored stays a whole chain and a later batch follows it. Nothing in the
                    // batch was promised (its waiters are told it failed).
                    let failure = error as? AuditError ?? AuditError(path: directory.path, "\(error)")
                    lastError.withLock { if $0 == nil { $0 = failure } }
                    outcome = .failed("\(failure)")
                    core.rollBack(to: mark)
                    if closing { core.closeFile() }
                }
            }
            let outcomes = pending.withLock { $0.ledger.outcomes(after: items, outcome, waiters: waiters.map(\.items)) }
            for (waiter, outcome) in zip(waiters, outcomes) { waiter.done(outcome) }
            if closing {
                finished.signal()
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
    var prev = AuditRecordFormat.zeroHash
    var sinceCheckpoint = 0
    var lastCheckpoint = Date()
    var lastSimulatedTime = Timestamp(Date())

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

    /// Finds the end of an existing chain (cutting a torn tail) or starts a new one.
    mutating func open() throws -> FileAuditLog.Recovery? {
        let segments = try AuditSegments.list(directory)
        var recovery: FileAuditLog.Recovery?
        if let last = segments.last {
            segment = last.index
            let path = directory.appendingPathComponent(last.name).path
            let data = Array((try? Data(contentsOf: URL(fileURLWithPath: path))) ?? Data())
            var keep = data.count
            var linesCut = 0
            // Cut back to the last line that ends with a newline and whose own hash is right.
            while keep > 0 {
                if data[keep - 1] != 0x0A {
                    let start = data[..<keep].lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
                    keep = start
                    linesCut += 1
                    continue
                }
                let start = data[..<(keep - 1)].lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
                if let found = AuditRecordFormat.chainFields(of: data[start..<(keep - 1)]), found.fields.isIntact {
                    seq = found.fields.seq + 1
                    prev = found.claimed
                    break
                }
                keep = start
                linesCut += 1
            }
            if keep < data.count {
                guard truncate(path, off_t(keep)) == 0 else {
                    throw AuditError(path: path, "cannot cut the torn tail: \(String(cString: strerror(errno)))")
                }
                recovery = FileAuditLog.Recovery(segment: last.name, bytesCut: data.count - keep, linesCut: linesCut)
            }
            if keep == 0, segments.count > 1 {
                // The last segment held nothing whole: continue from the previous one's end.
                let previous = segments[segments.count - 2]
                let text = Array(try Data(contentsOf: directory.appendingPathComponent(previous.name)))
                let lines = text.split(separator: 0x0A)
                if let line = lines.last, let found = AuditRecordFormat.chainFields(of: line) {
                    seq = found.fields.seq + 1
                    prev = found.claimed
                }
            }
            try openSegment(segment, creating: false)
        } else {
            segment = 1
            try openSegment(segment, creating: true)
        }
        var opened = JSONFields()
        opened.string("signer", signer.signer)
        opened.string("public_key", AuditRecordFormat.hex(signer.publicKey.rawRepresentation))
        try writeRecord(event: "opened", fields: opened, real: Timestamp(Date()), simulated: lastSimulatedTime)
        if let recovery {
            var recovered = JSONFields()
            recovered.strings("reasons", ["\(recovery)"])
            try writeRecord(
                event: "recovered",
                fields: recovered,
                real: Timestamp(Date()),
                simulated: lastSimulatedTime
            )
        }
        try sync()
        return recovery
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
        let prev: String
        let sinceCheckpoint: Int
        let lastCheckpoint: Date
    }

    var mark: Mark {
        Mark(
            segment: segment,
            segmentSize: segmentSize,
            seq: seq,
            prev: prev,
            sinceCheckpoint: sinceCheckpoint,
            lastCheckpoint: lastCheckpoint
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
        sinceCheckpoint = mark.sinceCheckpoint
        lastCheckpoint = mark.lastCheckpoint
    }

    /// Chains the formatted records and writes them with one call per segment.
    mutating func write(_ bodies: [[UInt8]]) throws {
        guard !bodies.isEmpty else { return }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(bodies.count * 480)
        for body in bodies {
            prev = AuditRecordFormat.line(seq: seq, body: body, prev: prev, into: &buffer)
            seq += 1
            sinceCheckpoint += 1
            if sinceCheckpoint >= configuration.checkpointEvery {
                try flush(&buffer)
                try checkpoint()
            }
            if segmentSize + buffer.count >= configuration.segmentBytes {
                try flush(&buffer)
                try roll()
            }
        }
        try flush(&buffer)
        if configuration.fsync != .none { try sync() }
    }

    mutating func writeRecord(event: String, fields: JSONFields, real: Timestamp, simulated: Timestamp) throws {
        var line: [UInt8] = []
        prev = AuditRecordFormat.line(
            seq: seq,
            body: AuditRecordFormat.body(realTime: real, simulatedTime: simulated, event: event, fields: fields),
            prev: prev,
            into: &line
        )
        seq += 1
        try flush(&line)
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
        guard descriptor >= 0, fsync(descriptor) == 0 else {
            if descriptor < 0 { return }
            throw AuditError(
                path: directory.appendingPathComponent(AuditSegments.name(segment)).path,
                "fsync failed: \(String(cString: strerror(errno)))"
            )
        }
    }

    mutating func checkpointIfDue() throws {
        guard sinceCheckpoint > 0 else { return }
        if sinceCheckpoint >= configuration.checkpointEvery
            || Date().timeIntervalSince(lastCheckpoint) >= configuration.checkpointSeconds
        {
            try checkpoint()
            if configuration.fsync != .none { try sync() }
        }
    }

    /// A signed checkpoint sealing every record before it.
    mutating func checkpoint() throws {
        let head = AuditRecordFormat.bytes(hex: Array(prev.utf8)) ?? []
        let signature = try signer.signature(for: AuditRecordFormat.checkpointSigningInput(seq: seq, head: head))
        var fields = JSONFields()
        fields.string("signer", signer.signer)
        fields.string("public_key", AuditRecordFormat.hex(signer.publicKey.rawRepresentation))
        fields.number("covers", seq)
        fields.string("head", prev)
        fields.string("signature", AuditRecordFormat.hex(signature))
        try writeRecord(event: "checkpoint", fields: fields, real: Timestamp(Date()), simulated: lastSimulatedTime)
        sinceCheckpoint = 0
        lastCheckpoint = Date()
    }
}
