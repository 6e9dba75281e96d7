import EIXMModel
import Foundation
import Testing

/// docs/PROTOCOL.md is what integrators implement from: its value tables must be the code's.
@Suite("The protocol document")
struct ProtocolDocumentTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The rows `| code | `VALUE` |` of the table whose heading ends with `(name)`.
    static func table(_ name: String, in document: String) -> [(code: Int, value: String)] {
        let sections = document.components(separatedBy: "\n#### ")
        guard let section = sections.first(where: { $0.split(separator: "\n").first?.hasSuffix("(\(name))") == true })
        else { return [] }
        return section.split(separator: "\n").compactMap { line in
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count == 2, let code = Int(cells[0]), cells[1].hasPrefix("`"), cells[1].hasSuffix("`") else {
                return nil
            }
            return (code, String(cells[1].dropFirst().dropLast()))
        }
    }

    static func rows<Value: WireEnum>(_ type: Value.Type) -> [(code: Int, value: String)] {
        Value.allCases.map { (Int($0.wireCode), $0.rawValue) }
    }

    @Test("every enumerated header field's table lists every value with its wire code, in order")
    func enumTables() throws {
        let document = try String(contentsOf: Self.root.appendingPathComponent("docs/PROTOCOL.md"), encoding: .utf8)
        let expected: [(String, [(code: Int, value: String)])] = [
            ("Channel", Self.rows(Channel.self)), ("MessageType", Self.rows(MessageType.self)),
            ("LegalBasis", Self.rows(LegalBasis.self)), ("Urgency", Self.rows(Urgency.self)),
            ("UrgencyReason", Self.rows(UrgencyReason.self)), ("Accessibility", Self.rows(Accessibility.self)),
            ("CrimeArea", Self.rows(CrimeArea.self)), ("MemberState", Self.rows(MemberState.self)),
            ("Purpose", Self.rows(Purpose.self)), ("Classification", Self.rows(Classification.self)),
            ("DataSubjectCategory", Self.rows(DataSubjectCategory.self)),
            ("SienaException", Self.rows(SienaException.self)), ("RefusalReason", Self.rows(RefusalReason.self)),
            ("PayloadType", Self.rows(PayloadType.self)), ("NoCopyReason", Self.rows(NoCopyReason.self)),
            ("TransferBasis", Self.rows(TransferBasis.self)), ("CollectionContext", Self.rows(CollectionContext.self)),
            ("JITEvent", Self.rows(JITEvent.self)), ("RefusalScope", Self.rows(RefusalScope.self)),
        ]
        for (name, rows) in expected {
            let documented = Self.table(name, in: document)
            #expect(documented.map(\.code) == rows.map(\.code), "\(name): codes")
            #expect(documented.map(\.value) == rows.map(\.value), "\(name): values")
        }
    }
}
