import EIXMModel
import Foundation

/// The JSON form of one judged line of `eixm rules check`:
/// `{"line", "id", "verdict", "rules": [...], "reasons": [...], "sources": [...], "obligations": [...]}`,
/// `{"line", "error": {"code", "field", "message"}}` for a line that could not be read, or `{"line", "skipped":
/// "blank line"}`.
public struct DecisionReport: Encodable, Sendable {
    public struct ObligationReport: Encodable, Sendable {
        let kind: String
        let rule: String
        let to: String?
        let seconds: Int64?
        let at: String?
        let message: String?
        let note: String?
    }

    public struct ErrorReport: Encodable, Sendable {
        let code: String
        let field: String
        let message: String
    }

    let line: Int
    let id: String?
    let verdict: String?
    let rules: [String]?
    let reasons: [String]?
    let sources: [String]?
    let obligations: [ObligationReport]?
    let error: ErrorReport?
    let skipped: String?

    public init(_ outcome: HeaderCheck.Outcome) {
        line = outcome.line
        if case .blank = outcome { skipped = "blank line" } else { skipped = nil }
        switch outcome {
        case .decided(_, let header, let decision):
            let firings = decision.decisiveFirings
            id = header.id.uuidString.lowercased()
            verdict = decision.verdict.rawValue
            rules = firings.map(\.rule.rawValue)
            reasons = firings.map(\.reason)
            sources = firings.map(\.source)
            obligations = decision.obligations.map(Self.report)
            error = nil
        case .unreadable(_, let failure):
            id = nil
            verdict = nil
            rules = nil
            reasons = nil
            sources = nil
            obligations = nil
            error = ErrorReport(code: failure.code.name, field: failure.field, message: failure.detail)
        case .unknownNode(_, let header, let reason):
            id = header.id.uuidString.lowercased()
            verdict = Decision.Verdict.reject.rawValue
            rules = [HeaderCheck.unknownNodeCheck]
            reasons = [reason]
            sources = ["router check: every node of a message must be in the directory"]
            obligations = []
            error = nil
        case .blank:
            (id, verdict, rules, reasons, sources, obligations, error) = (nil, nil, nil, nil, nil, nil, nil)
        }
    }

    static func report(_ obligation: Obligation) -> ObligationReport {
        ObligationReport(
            kind: obligation.kind.rawValue,
            rule: obligation.rule.rawValue,
            to: obligation.to?.rawValue,
            seconds: obligation.seconds,
            at: obligation.at?.rfc3339,
            message: obligation.message?.uuidString.lowercased(),
            note: obligation.note
        )
    }

    /// One line of JSON, keys sorted.
    public func jsonLine() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Strings, numbers and arrays of them always encode.
        return String(decoding: try! encoder.encode(self), as: UTF8.self)
    }

    /// A line or two for people.
    public static func text(_ outcome: HeaderCheck.Outcome) -> String {
        switch outcome {
        case .unreadable(let line, let error):
            return "line \(line): ERROR \(error)"
        case .blank(let line):
            return "line \(line): blank, skipped"
        case .unknownNode(let line, let header, let reason):
            return
                "line \(line): REJECT \(header.messageType) \(header.id.uuidString.lowercased()) \(header.sender) -> \(header.recipients.map(\.rawValue).joined(separator: ","))\n  \(HeaderCheck.unknownNodeCheck) \(reason)"
        case .decided(let line, let header, let decision):
            var lines = [
                "line \(line): \(decision.verdict.rawValue.uppercased()) \(header.messageType) \(header.id.uuidString.lowercased()) \(header.sender) -> \(header.recipients.map(\.rawValue).joined(separator: ","))"
            ]
            for firing in decision.decisiveFirings {
                lines.append("  \(firing.rule) [\(firing.effect.rawValue)] \(firing.reason) (\(firing.source))")
            }
            for obligation in decision.obligations {
                var parts = ["  => \(obligation.kind.rawValue) (\(obligation.rule))"]
                if let to = obligation.to { parts.append("to \(to)") }
                if let seconds = obligation.seconds { parts.append(DurationText.text(seconds: seconds)) }
                if let at = obligation.at { parts.append("at \(at.rfc3339)") }
                if let message = obligation.message { parts.append("message \(message.uuidString.lowercased())") }
                if let note = obligation.note { parts.append("- \(note)") }
                lines.append(parts.joined(separator: " "))
            }
            return lines.joined(separator: "\n")
        }
    }
}
