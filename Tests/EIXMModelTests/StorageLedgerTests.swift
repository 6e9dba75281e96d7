import EIXMModel
import Testing

@Suite("Storage ledger")
struct StorageLedgerTests {
    @Test(
        "a waiter whose items rode in an earlier failed write is told it failed; a later waiter with items of its own is told they are stored"
    )
    func earlierFailedWrite() {
        var ledger = StorageLedger()
        ledger.append(3)
        let first = ledger.waiter()
        ledger.append(2)
        // The writer takes all five items in one write, before the second waiter registers; the write fails.
        let written = ledger.take()
        let second = ledger.waiter()
        #expect(
            ledger.outcomes(after: written, .failed("no space left on device"), waiters: [first]) == [
                .failed("no space left on device")
            ]
        )
        // The second waiter's items were in that write: nothing is left to write for it, and it must not hear stored.
        #expect(
            ledger.outcomes(after: ledger.take(), .stored, waiters: [second]) == [
                .failed("lost in an earlier failed write: no space left on device")
            ]
        )
        ledger.append(1)
        let third = ledger.waiter()
        #expect(ledger.outcomes(after: ledger.take(), .stored, waiters: [third]) == [.stored])
    }

    @Test("waiters taken with a successful write are stored; a waiter with no items is stored")
    func successfulWrites() {
        var ledger = StorageLedger()
        let empty = ledger.waiter()
        ledger.append(4)
        let first = ledger.waiter()
        ledger.append(1)
        let second = ledger.waiter()
        #expect(
            ledger.outcomes(after: ledger.take(), .stored, waiters: [empty, first, second]) == [
                .stored, .stored, .stored,
            ]
        )
    }
}
