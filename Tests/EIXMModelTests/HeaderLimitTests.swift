import EIXMModel
import EIXMTestKit
import Foundation
import Testing

/// Every bounded text field of the header: accepted at its limit (in UTF-8 bytes), refused one byte past it and
/// when empty, each time naming the field, by the validator, the binary encoder and the JSON reader alike.
@Suite("Header limits")
struct HeaderLimitTests {
    struct BoundedField: Sendable, CustomTestStringConvertible {
        let field: HeaderField
        let limit: Int
        let set: @Sendable (inout Header, String) -> Void
        var testDescription: String { field.name }
    }

    static let fields: [BoundedField] = [
        BoundedField(field: .caseID, limit: WireLimits.maximumIdentifierBytes) { $0.caseID = $1 },
        BoundedField(field: .sisAlertID, limit: WireLimits.maximumIdentifierBytes) { $0.sisAlertID = $1 },
        BoundedField(field: .prumHitRef, limit: WireLimits.maximumIdentifierBytes) { $0.prumHitRef = $1 },
        BoundedField(field: .strictNecessityAssessmentID, limit: WireLimits.maximumIdentifierBytes) {
            $0.strictNecessityAssessmentID = $1
        },
        BoundedField(field: .providerPermissionTokens, limit: WireLimits.maximumIdentifierBytes) {
            $0.providerPermissionTokens = ["T-1", $1]
        },
        BoundedField(field: .h3Text, limit: WireLimits.maximumTextBytes) { $0.h3Text = $1 },
        BoundedField(field: .copyToEuropolReason, limit: WireLimits.maximumTextBytes) { $0.copyToEuropolReason = $1 },
    ]

    static func header(_ bounded: BoundedField, _ text: String) -> Header {
        var header = SampleMessages.request()
        bounded.set(&header, text)
        return header
    }

    /// The error the validator, the encoder and the JSON reader give, which must be the same kind for the same field.
    static func refusal(_ header: Header) -> [MessageFormatError] {
        var errors: [MessageFormatError] = []
        do { try header.validate() } catch { errors.append(error) }
        do { _ = try header.canonicalBytes() } catch { errors.append(error) }
        do { _ = try Header(json: Array(header.jsonText().utf8)) } catch { errors.append(error) }
        return errors
    }

    @Test(
        "an addressee listed twice in to, or in both to and cc, is refused by the validator and both encodings, naming the field"
    )
    func repeatedAddressee() {
        var twiceInTo = SampleMessages.request()
        twiceInTo.to = [.spoc(.fr), .spoc(.fr)]
        var inBoth = SampleMessages.request()
        inBoth.to = [.spoc(.fr)]
        inBoth.cc = [.spoc(.fr)]
        for (header, field) in [(twiceInTo, "to"), (inBoth, "cc")] {
            let errors = Self.refusal(header)
            #expect(errors.count == 3, "\(errors)")
            for error in errors {
                #expect(error.code == .invalidValue && error.field == field, "\(error)")
            }
        }
    }

    @Test("at the limit: accepted, and it round-trips through both encodings", arguments: fields)
    func atLimit(bounded: BoundedField) throws {
        // Two-byte characters, with one ASCII byte when the limit is odd: the limit counts bytes, not characters.
        let text = String(repeating: "é", count: bounded.limit / 2) + (bounded.limit % 2 == 1 ? "x" : "")
        #expect(text.utf8.count == bounded.limit)
        let header = Self.header(bounded, text)
        try header.validate()
        #expect(try Header(canonicalBytes: header.canonicalBytes()) == header)
        #expect(try Header(json: Array(header.jsonText().utf8)) == header)
    }

    @Test("one byte past the limit: refused as too long, naming the field", arguments: fields)
    func pastLimit(bounded: BoundedField) {
        let text = String(repeating: "é", count: bounded.limit / 2) + (bounded.limit % 2 == 1 ? "xx" : "x")
        #expect(text.utf8.count == bounded.limit + 1)
        let errors = Self.refusal(Self.header(bounded, text))
        #expect(errors.count == 3, "\(errors)")
        for error in errors {
            #expect(error.code == .tooLong, "\(error)")
            #expect(error.field == bounded.field.name, "\(error)")
        }
    }

    @Test("empty: refused, naming the field (omit the field instead)", arguments: fields)
    func empty(bounded: BoundedField) {
        let errors = Self.refusal(Self.header(bounded, ""))
        #expect(errors.count == 3, "\(errors)")
        for error in errors {
            #expect(error.code == .invalidValue, "\(error)")
            #expect(error.field == bounded.field.name, "\(error)")
        }
    }
}
