import EIXMModel
import EIXMNodes
import EIXMTestKit
import Foundation
import Testing

@Suite("A node's counts over its lives")
struct NodeStatisticsTests {
    static func header(_ index: UInt8) -> Header { SampleMessages.request(index) }

    @Test("counts of two lives add up, and a message answered in both (resent after the crash) counts once")
    func following() {
        var earlier = NodeStatistics()
        earlier.sent = 3
        earlier.accepted = 2
        earlier.acceptedHeaders = [Self.header(1), Self.header(2)]
        earlier.rejected = 1
        earlier.refusedMessages = [SampleMessages.id(3)]
        earlier.actedOn = [SampleMessages.id(9)]
        earlier.session.connections = 2
        var later = NodeStatistics()
        later.sent = 1
        // Message 2's and 3's answers were not yet in the journal at the crash: sent again, answered again.
        later.accepted = 2
        later.acceptedHeaders = [Self.header(2), Self.header(4)]
        later.rejected = 1
        later.refusedMessages = [SampleMessages.id(3)]
        later.actedOn = [SampleMessages.id(9), SampleMessages.id(8)]
        later.session.connections = 1
        let total = later.following(earlier)
        #expect(total.sent == 4)
        #expect(total.accepted == 3)
        #expect(total.acceptedHeaders.map(\.id) == [1, 2, 4].map(SampleMessages.id))
        #expect(total.rejected == 1)
        #expect(total.sent == total.accepted + total.rejected)
        #expect(total.actedOn == [SampleMessages.id(8), SampleMessages.id(9)])
        #expect(total.connections == 3)
        #expect(total.session.reconnects == 2)
    }
}
