import EIXMModel
import EIXMTestKit
import Foundation
import Testing

@Suite("Delivery receipts: what the signature covers")
struct DeliveryReceiptTests {
    static let content = try! DeliveryReceipt.Content(
        message: SampleMessages.id(7),
        headerDigest: Array(repeating: 0x11, count: 32),
        bodyDigest: Array(repeating: 0x22, count: 32),
        receivedAt: Timestamp(millisecondsSinceEpoch: 0x0102_0304_0506)
    )

    @Test(
        "the signing input is the receipt tag, the message ID, the recipient, both digests, the time and the scheme, byte for byte as the protocol says"
    )
    func signingInputBytes() {
        var expected = Array("EIXM-DELIVERY-RECEIPT-V1".utf8) + [0]
        expected += withUnsafeBytes(of: SampleMessages.id(7).uuid) { Array($0) }
        expected += [7] + Array("SPOC-FR".utf8)
        expected += Array(repeating: 0x11, count: 32) + Array(repeating: 0x22, count: 32)
        expected += [0, 0, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06]
        expected += [2]
        #expect(Self.content.signingInput(recipient: .spoc(.fr), scheme: 2) == expected)
    }

    @Test("another recipient, scheme, time or message gives another signing input")
    func everyFieldCovered() throws {
        let input = Self.content.signingInput(recipient: .spoc(.fr), scheme: 1)
        #expect(Self.content.signingInput(recipient: .spoc(.be), scheme: 1) != input)
        #expect(Self.content.signingInput(recipient: .spoc(.fr), scheme: 2) != input)
        let later = try DeliveryReceipt.Content(
            message: Self.content.message,
            headerDigest: Self.content.headerDigest,
            bodyDigest: Self.content.bodyDigest,
            receivedAt: Self.content.receivedAt.adding(seconds: 1)
        )
        #expect(later.signingInput(recipient: .spoc(.fr), scheme: 1) != input)
    }

    @Test("a digest of any length but 32 bytes is refused, naming the digest")
    func digestLength() {
        for (header, body, field) in [
            (Array(repeating: UInt8(1), count: 31), Array(repeating: UInt8(2), count: 32), "header digest"),
            (Array(repeating: UInt8(1), count: 32), Array(repeating: UInt8(2), count: 33), "body digest"),
        ] {
            do {
                _ = try DeliveryReceipt.Content(
                    message: SampleMessages.id(1),
                    headerDigest: header,
                    bodyDigest: body,
                    receivedAt: SampleMessages.createdAt
                )
                Issue.record("a \(field) of the wrong length was taken")
            } catch {
                #expect(error.field == field, "\(error)")
            }
        }
    }
}
