import EIXMModel
import EIXMTestKit
import Foundation
import Testing

@Suite("Canonical header encoding")
struct HeaderWireTests {
    @Test("every message type round-trips", arguments: SampleMessages.ofEveryType())
    func roundTripEveryType(header: Header) throws {
        let bytes = try header.canonicalBytes()
        #expect(try Header(canonicalBytes: bytes) == header)
    }

    @Test("a header with every field round-trips, and re-encodes to the same bytes")
    func roundTripEveryField() throws {
        let header = SampleMessages.everyField()
        let bytes = try header.canonicalBytes()
        let decoded = try Header(canonicalBytes: bytes)
        #expect(decoded == header)
        #expect(try decoded.canonicalBytes() == bytes)
    }

    @Test("every enum value round-trips through its wire code")
    func everyEnumValue() throws {
        for area in CrimeArea.allCases {
            var header = SampleMessages.request()
            header.crimeAreas = [area]
            #expect(try Header(canonicalBytes: header.canonicalBytes()).crimeAreas == [area])
        }
        for state in MemberState.allCases {
            var header = SampleMessages.request()
            header.originatorState = state
            #expect(try Header(canonicalBytes: header.canonicalBytes()).originatorState == state)
        }
        for channel in Channel.allCases {
            var header = SampleMessages.request()
            header.channel = channel
            #expect(try Header(canonicalBytes: header.canonicalBytes()).channel == channel)
        }
    }

    @Test("false flags, absent fields and empty lists are not encoded")
    func defaultsAreOmitted() throws {
        let minimal = Header(
            id: SampleMessages.id(9),
            sender: .spoc(.de),
            to: [.spoc(.at)],
            channel: .siena,
            messageType: .spontaneous,
            legalBasis: .dir2023977,
            createdAt: SampleMessages.createdAt
        )
        let bytes = try minimal.canonicalBytes()
        // id, sender, to, channel, msg_type, legal_basis, created_at: 7 tags.
        let expectedLength = (3 + 16) + (3 + 7) + (3 + 8) + (3 + 1) * 3 + (3 + 8)
        #expect(bytes.count == expectedLength)
    }

    // MARK: - Errors, one per kind

    private func decodeError(_ bytes: [UInt8]) -> MessageFormatError? {
        do {
            _ = try Header(canonicalBytes: bytes)
            return nil
        } catch {
            return error
        }
    }

    private func field(_ tag: HeaderField, _ value: [UInt8]) -> [UInt8] {
        [tag.rawValue, UInt8(value.count >> 8), UInt8(value.count & 0xFF)] + value
    }

    private var requiredFields: [UInt8] {
        field(.id, [UInt8](repeating: 7, count: 16)) + field(.sender, Array("SPOC-BE".utf8))
            + field(.to, [7] + Array("SPOC-FR".utf8)) + field(.channel, [1]) + field(.messageType, [1])
            + field(.legalBasis, [1])
    }

    private var createdAt: [UInt8] { field(.createdAt, [0, 0, 1, 0x9A, 0, 0, 0, 0]) }

    @Test("hand-built required fields decode")
    func handBuilt() throws {
        let header = try Header(canonicalBytes: requiredFields + createdAt)
        #expect(header.sender == .spoc(.be))
        #expect(header.to == [.spoc(.fr)])
    }

    @Test("a truncated header names the field")
    func truncated() throws {
        let bytes = requiredFields + createdAt
        let error = try #require(decodeError(Array(bytes.dropLast(3))))
        #expect(error.code == .truncated)
        #expect(error.field == "created_at")
    }

    @Test("a missing required field is named")
    func missingField() throws {
        let error = try #require(decodeError(requiredFields))
        #expect(error.code == .missingField)
        #expect(error.field == "created_at")
    }

    @Test("an unknown enum code is named")
    func unknownEnumValue() throws {
        let bytes = requiredFields + field(.urgency, [9]) + createdAt
        let error = try #require(decodeError(bytes))
        #expect(error.code == .unknownValue)
        #expect(error.field == "urgency")
    }

    @Test("an unknown field tag is refused")
    func unknownField() throws {
        let bytes = requiredFields + createdAt + [200, 0, 0]
        let error = try #require(decodeError(bytes))
        #expect(error.code == .unknownField)
    }

    @Test("fields out of order, or repeated, are not canonical")
    func outOfOrder() throws {
        let swapped = field(.sender, Array("SPOC-BE".utf8)) + field(.id, [UInt8](repeating: 7, count: 16))
        #expect(decodeError(swapped)?.code == .nonCanonical)
        let repeated = field(.id, [UInt8](repeating: 7, count: 16)) + field(.id, [UInt8](repeating: 7, count: 16))
        #expect(decodeError(repeated)?.code == .nonCanonical)
    }

    @Test("a flag spelled out, an empty list or an empty handling-code set is not canonical")
    func defaultsSpelledOut() throws {
        let emptyCodes = requiredFields + field(.handlingCodes, [0]) + createdAt
        #expect(decodeError(emptyCodes)?.code == .nonCanonical)
        let emptyList = requiredFields + field(.crimeAreas, []) + createdAt
        #expect(decodeError(emptyList)?.code == .nonCanonical)
        let flagWithValue = requiredFields + field(.containsPersonalData, [1]) + createdAt
        #expect(decodeError(flagWithValue)?.field == "contains_personal_data")
    }

    @Test("a non-canonical node ID, bad UTF-8 and a bad boolean are invalid values")
    func invalidValues() throws {
        let lowerCase = field(.id, [UInt8](repeating: 7, count: 16)) + field(.sender, Array("spoc-be".utf8))
        #expect(decodeError(lowerCase).map { ($0.code, $0.field) } ?? (.truncated, "") == (.invalidValue, "sender"))
        let badUTF8 = field(.id, [UInt8](repeating: 7, count: 16)) + field(.caseID, [0xFF, 0xFE])
        #expect(decodeError(badUTF8).map { ($0.code, $0.field) } ?? (.truncated, "") == (.invalidValue, "case_id"))
        let badBool = requiredFields + field(.originatorConsent, [2]) + createdAt
        #expect(
            decodeError(badBool).map { ($0.code, $0.field) } ?? (.truncated, "") == (
                .invalidValue, "originator_consent"
            )
        )
    }

    @Test("too many recipients is too long")
    func tooManyRecipients() throws {
        var header = SampleMessages.request()
        header.to = (0..<65).map { NodeID("NODE-\($0)")! }
        #expect(throws: MessageFormatError.self) { try header.canonicalBytes() }
        let list = (0..<65).flatMap { index -> [UInt8] in
            let name = Array("NODE-\(index)".utf8)
            return [UInt8(name.count)] + name
        }
        let bytes =
            field(.id, [UInt8](repeating: 7, count: 16)) + field(.sender, Array("SPOC-BE".utf8)) + field(.to, list)
        let error = try #require(decodeError(bytes))
        #expect(error.code == .tooLong)
        #expect(error.field == "to")
    }

    @Test("over-long text is too long, and a duplicate recipient is refused")
    func limits() throws {
        var header = SampleMessages.request()
        header.caseID = String(repeating: "C", count: WireLimits.maximumIdentifierBytes + 1)
        #expect(throws: MessageFormatError.self) { try header.canonicalBytes() }
        header = SampleMessages.request()
        header.cc = header.to
        do {
            _ = try header.canonicalBytes()
            Issue.record("a duplicate recipient was encoded")
        } catch {
            #expect(error.field == "cc")
        }
    }

    @Test("unread bytes inside a field are refused")
    func unreadBytesInField() throws {
        let bytes = requiredFields + field(.urgency, [1, 1]) + createdAt
        let error = try #require(decodeError(bytes))
        #expect(error.field == "urgency")
    }
}
