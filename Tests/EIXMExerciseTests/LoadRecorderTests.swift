import EIXMModel
import EIXMTestKit
import Testing

@testable import EIXMExercise

/// The load recorder's account of lost messages: accepted by the router, not yet received by every addressee.
@Suite("Load recorder")
struct LoadRecorderTests {
    @Test("an accepted message counts as lost until each addressee has received it; a rejected one never does")
    func lost() {
        let recorder = LoadRecorder()
        let (first, second, refused) = (SampleMessages.id(1), SampleMessages.id(2), SampleMessages.id(3))
        recorder.sent(first, from: .spoc(.be), to: [.spoc(.fr), .spoc(.de)], intended: 0, at: 1)
        recorder.sent(second, from: .spoc(.be), to: [.spoc(.fr)], intended: 0, at: 1)
        recorder.sent(refused, from: .spoc(.nl), to: [.spoc(.fr)], intended: 0, at: 1)
        // What was sent, by sender and addressee, refused or not.
        #expect(recorder.trafficMatrix == ["SPOC-BE": ["SPOC-FR": 2, "SPOC-DE": 1], "SPOC-NL": ["SPOC-FR": 1]])
        // A delivery may reach its recipient before the ACK reaches the sender.
        recorder.delivered(second, to: .spoc(.fr), intended: 0, at: 2, duplicate: false)
        recorder.answered(first, intended: 0, at: 3, rejectedBy: nil)
        recorder.answered(second, intended: 0, at: 3, rejectedBy: nil)
        recorder.answered(refused, intended: 0, at: 3, rejectedBy: ["CH-01"])
        #expect(recorder.acceptedNotDelivered == 1)
        // A copy to a node that is not an addressee does not complete the message.
        recorder.delivered(first, to: .europol, intended: 0, at: 4, duplicate: false)
        recorder.delivered(first, to: .spoc(.fr), intended: 0, at: 4, duplicate: false)
        #expect(recorder.acceptedNotDelivered == 1)
        recorder.delivered(first, to: .spoc(.de), intended: 0, at: 5, duplicate: false)
        #expect(recorder.acceptedNotDelivered == 0)
        #expect(recorder.inFlight == 0)
    }
}
