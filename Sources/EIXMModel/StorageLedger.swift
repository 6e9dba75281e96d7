/// Which waiters of a store (the audit log, the spool) may be told their items are stored.
///
/// A writer thread takes whatever is pending in one write, so the items a waiter stands for can ride in an earlier
/// write than the one that answers it. If that earlier write failed (a full disk), the items are gone, and the waiter
/// must hear `.failed` even though nothing is left for it to write. The ledger numbers the items appended, gives each
/// waiter the items appended since the waiter before it, and remembers which items were in failed writes until no
/// waiter can stand for them any more.
public struct StorageLedger: Sendable {
    private var appended = 0
    private var taken = 0
    private var waitedFor = 0
    private var lost: [Range<Int>] = []
    private var lastFailure = ""

    public init() {}

    /// Counts `count` items appended.
    public mutating func append(_ count: Int) { appended += count }

    /// The items a waiter registered now stands for: those appended since the previous waiter.
    public mutating func waiter() -> Range<Int> {
        defer { waitedFor = appended }
        return waitedFor..<appended
    }

    /// The items the writer takes now for one write.
    public mutating func take() -> Range<Int> {
        defer { taken = appended }
        return taken..<appended
    }

    /// After a write of `written` with `outcome`, what to tell each of `waiters` (taken with it, in order): `.stored`
    /// only when none of its items was in a failed write, this one or an earlier one.
    public mutating func outcomes(
        after written: Range<Int>,
        _ outcome: StorageOutcome,
        waiters: [Range<Int>]
    ) -> [StorageOutcome] {
        if case .failed(let reason) = outcome {
            lastFailure = reason
            if !written.isEmpty { lost.append(written) }
        }
        let outcomes = waiters.map { range -> StorageOutcome in
            guard lost.contains(where: { $0.overlaps(range) }) else { return .stored }
            if case .failed = outcome { return outcome }
            return .failed("lost in an earlier failed write: \(lastFailure)")
        }
        // Waiters registered later stand for items from the last one's end on.
        if let last = waiters.last { lost.removeAll { $0.upperBound <= last.upperBound } }
        return outcomes
    }
}
