import EIXMModel
import EIXMTestKit
import Foundation
import Testing

@Suite("JSON rendering of headers")
struct HeaderJSONTests {
    private func jsonError(_ text: String) -> MessageFormatError? {
        do {
            _ = try Header(json: Array(text.utf8))
            return nil
        } catch {
            return error
        }
    }

    private let minimal = """
        {"id":"8a1f3c52-0b7d-4e61-9a20-112233445501","sender":"SPOC-BE","channel":"SIENA",\
        "msg_type":"REQUEST","legal_basis":"DIR_2023_977","created_at":"2026-11-29T08:00:00Z"
        """

    /// The minimal header with `to` and whatever `suffix` adds; `suffix` may give its own `to` or `channel`.
    private func header(_ suffix: String) -> String {
        var text = minimal
        if suffix.contains(#""channel":"#) { text = text.replacingOccurrences(of: #""channel":"SIENA","#, with: "") }
        if !suffix.contains(#""to":"#) { text += #","to":["SPOC-FR"]"# }
        return text + suffix
    }

    @Test(
        "every message type and every field round-trip through JSON",
        arguments: SampleMessages.ofEveryType() + [SampleMessages.everyField()]
    )
    func roundTrip(header: Header) throws {
        #expect(try Header(json: Array(header.jsonText().utf8)) == header)
    }

    @Test("the DESIGN.md field names are used")
    func fieldNames() throws {
        let object = try #require(
            JSONSerialization.jsonObject(with: Data(SampleMessages.everyField().jsonText().utf8)) as? [String: Any]
        )
        for name in [
            "id", "case_id", "in_reply_to", "msg_type", "affected_ms", "handling_codes", "h3_text",
            "originator_ms", "strict_necessity_assessment_id", "created_at", "data_subject_categories",
        ] {
            #expect(object[name] != nil, "missing \(name)")
        }
        let evaluation = try #require(object["evaluation"] as? [String: String])
        #expect(evaluation == ["source": "B", "info": "2"])
    }

    @Test("a minimal header reads, with GR for Greece and a lower-case language")
    func minimalHeader() throws {
        let header = try Header(json: Array(header(#","affected_ms":["GR","BE"],"language":"fr"}"#).utf8))
        #expect(header.affectedStates == [.el, .be])
        #expect(header.language == LanguageCode("FR"))
        #expect(header.handlingCodes.isEmpty)
        #expect(header.containsPersonalData == false)
    }

    @Test("null means absent")
    func nullIsAbsent() throws {
        let header = try Header(json: Array(header(#","case_id":null}"#).utf8))
        #expect(header.caseID == nil)
    }

    @Test(
        "errors name the field",
        arguments: [
            (#","channel":"FAX"}"#, "channel", MessageFormatError.Code.unknownValue),
            (#","colour":"red"}"#, "colour", .unknownField),
            (#","to":["spoc be"]}"#, "to", .invalidValue),
            (#","urgency":7}"#, "urgency", .invalidValue),
            (#","evaluation":{"source":"B"}}"#, "evaluation", .missingField),
            (#","evaluation":{"source":"B","info":"2","x":"y"}}"#, "evaluation.x", .unknownField),
            (#","in_reply_to":"not-a-uuid"}"#, "in_reply_to", .invalidValue),
            (#","language":"ENG"}"#, "language", .invalidValue),
            (#","case_id":""}"#, "case_id", .invalidValue),
            (#","crime_areas":["DRUG_TRAFFICKING","DRUG_TRAFFICKING"]}"#, "crime_areas", .invalidValue),
        ]
    )
    func namedErrors(suffix: String, field: String, code: MessageFormatError.Code) throws {
        let error = try #require(jsonError(header(suffix)))
        #expect(error.field == field)
        #expect(error.code == code)
    }

    @Test("a missing required field and a bad time are named")
    func requiredAndTime() throws {
        let noSender = header("}").replacingOccurrences(of: #""sender":"SPOC-BE","#, with: "")
        #expect(jsonError(noSender).map { ($0.code, $0.field) } ?? (.truncated, "") == (.missingField, "sender"))
        let badTime = header("}").replacingOccurrences(of: "2026-11-29T08:00:00Z", with: "yesterday")
        #expect(jsonError(badTime)?.field == "created_at")
    }

    @Test("text that is not a JSON object is malformed JSON", arguments: ["", "[]", "{", "nonsense", "42"])
    func malformed(text: String) throws {
        let error = try #require(jsonError(text))
        #expect(error.code == .malformedJSON || error.code == .invalidValue)
    }

    @Test("an out-of-set evaluation is kept for rule EV-01 to judge")
    func evaluationKept() throws {
        let header = try Header(json: Array(header(#","evaluation":{"source":"D","info":"7"}}"#).utf8))
        let evaluation = try #require(header.evaluation)
        #expect(!evaluation.isValid)
        #expect(evaluation.description == "D7")
    }
}
