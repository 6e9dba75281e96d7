import Dispatch

/// What a store's writer thread (the audit log's, the spool's) has to do next, and who waits for it: the batches its
/// callers appended (each kept whole: a batch is not copied item by item under the lock), the callers waiting to hear
/// that everything appended before them is stored, and whether the store is closing or was stopped as by a crash.
///
/// The callers append and ask; the writer thread waits for work, takes all that is pending in one go, writes it, and
/// answers the waiters it took with the outcome (through a ``StorageLedger``: a waiter whose items rode in an earlier
/// failed write hears that it failed).
public final class WriterQueue<Item: Sendable>: Sendable {
    /// What the writer took in one go.
    public struct Work: Sendable {
        /// The batches appended since the last take, in their order.
        public let batches: [[Item]]
        /// The store is closing: this is the last work (the writer writes it, then ends).
        public let closing: Bool
        /// The store was stopped as by a crash: nothing is to be written, and the writer ends.
        public let halted: Bool
        fileprivate let items: Range<Int>
        fileprivate let waiters: [Waiter]
    }

    fileprivate typealias Waiter = (items: Range<Int>, done: @Sendable (StorageOutcome) -> Void)

    private struct State {
        var batches: [[Item]] = []
        var waiters: [Waiter] = []
        var ledger = StorageLedger()
        var closing = false
        var halted = false
    }

    private let state = Locked(State())
    private let wake = DispatchSemaphore(value: 0)
    private let finished = Finished()

    public init() {}

    // MARK: The callers' side

    /// Queues `batch` for the writer; `false` (and nothing queued) once the store is closing.
    @discardableResult
    public func append(_ batch: [Item]) -> Bool {
        guard !batch.isEmpty else { return true }
        let (queued, signal) = state.withLock { state -> (Bool, Bool) in
            guard !state.closing else { return (false, false) }
            // A writer with waiters pending was woken already, and takes this batch with them.
            let idle = state.batches.isEmpty && state.waiters.isEmpty
            state.batches.append(batch)
            state.ledger.append(batch.count)
            return (true, idle)
        }
        if signal { wake.signal() }
        return queued
    }

    /// Calls `done` (on the writer's thread) once every item appended before this call is stored, or could not be;
    /// `false` (and `done` not called) once the store is closing.
    public func whenStored(_ done: @escaping @Sendable (StorageOutcome) -> Void) -> Bool {
        let queued = state.withLock { state -> Bool in
            guard !state.closing else { return false }
            state.waiters.append((state.ledger.waiter(), done))
            return true
        }
        if queued { wake.signal() }
        return queued
    }

    /// Tells the writer to write what is pending and end; `false` when it was told before (or the store halted).
    public func beginClosing() -> Bool {
        let first = state.withLock { state -> Bool in
            defer { state.closing = true }
            return !state.closing
        }
        if first { wake.signal() }
        return first
    }

    /// Stops the writer as a crash would: what is pending is dropped and its waiters hear nothing. Returns once the
    /// writer has ended (a write under way completes first, as it would before a kill); at once when the store was
    /// closing already.
    public func halt() {
        if stop() { waitUntilEnded() }
    }

    /// The first half of ``halt()``: drops what is pending and its waiters, and tells the writer to end without
    /// writing; `false` when the store was closing already.
    public func stop() -> Bool {
        let first = state.withLock { state -> Bool in
            defer {
                state.closing = true
                state.halted = true
                state.batches = []
                state.waiters = []
            }
            return !state.closing
        }
        if first { wake.signal() }
        return first
    }

    /// Blocks the calling thread until the writer has ended (never call from a task: use the async `waitUntilEnded()`).
    public func waitUntilEnded() { finished.wait() }

    /// Suspends the calling task until the writer has ended.
    public func waitUntilEnded() async { await finished.wait() }

    // MARK: The writer's side

    /// Waits until there is work (or `deadline` passes), then, while items are pending that nobody has asked about
    /// yet, up to `linger` more for a question about them: one write then carries both.
    public func waitForWork(until deadline: DispatchTime = .distantFuture, linger: DispatchTimeInterval) {
        _ = wake.wait(timeout: deadline)
        wake.linger(until: .now() + linger) {
            state.withLock { $0.waiters.isEmpty && !$0.closing && !$0.batches.isEmpty }
        }
    }

    /// Waits up to `window` for more work, unless the store is closing (a group commit's window).
    public func gather(for window: DispatchTimeInterval) {
        guard !state.withLock({ $0.closing }) else { return }
        _ = wake.wait(timeout: .now() + window)
    }

    /// Takes all that is pending.
    public func take() -> Work {
        state.withLock { state in
            defer {
                state.batches = []
                state.waiters = []
            }
            return Work(
                batches: state.batches,
                closing: state.closing,
                halted: state.halted,
                items: state.ledger.take(),
                waiters: state.waiters
            )
        }
    }

    /// Tells the waiters taken with `work` how its write went, on the calling thread.
    public func answer(_ work: Work, _ outcome: StorageOutcome) {
        let outcomes = state.withLock {
            $0.ledger.outcomes(after: work.items, outcome, waiters: work.waiters.map(\.items))
        }
        for (waiter, outcome) in zip(work.waiters, outcomes) { waiter.done(outcome) }
    }

    /// The writer has ended: wakes whoever waits for it.
    public func ended() { finished.signal() }
}
