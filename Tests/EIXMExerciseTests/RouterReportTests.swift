import EIXMExercise
import EIXMRouter
import Testing

@Suite("The router's own report")
struct RouterReportTests {
    @Test(
        "says how many batch roots the router verified for how many batch-signed messages and receipts, and only when it saw any"
    )
    func batchSignatureLine() {
        var statistics = RouterStatistics()
        #expect(!statistics.text.contains("Batch signatures"), "per-message signatures only: no line")
        statistics.batchRootVerifications = 10
        statistics.batchRootHits = 30
        #expect(
            statistics.text.contains("Batch signatures: 10 roots verified for 40 batch-signed messages (0.25 each)"),
            "\(statistics.text)"
        )
        #expect(!statistics.text.contains("receipts ("), "no batch-signed receipt: no receipt figure")
        statistics.receiptRootVerifications = 3
        statistics.receiptRootHits = 9
        #expect(
            statistics.text.contains(
                "Batch signatures: 10 roots verified for 40 batch-signed messages (0.25 each); 3 roots verified for 12 batch-signed receipts (0.25 each)"
            ),
            "\(statistics.text)"
        )
    }

    @Test("says how many writes the deliveries after commits went out in, and only when there were any")
    func deliveryWritesLine() {
        var statistics = RouterStatistics()
        #expect(!statistics.text.contains("writes"))
        statistics.deliveryWrites = 7
        #expect(
            statistics.text.contains("Deliveries after a commit went out in 7 writes (one per recipient per commit)")
        )
    }
}
