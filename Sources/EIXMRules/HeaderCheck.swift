import EIXMModel

/// Judges a sequence of JSON headers in order, as `eixm rules check` does: each accepted message joins the case
/// context, so a later reply, refusal or forward is judged against it. An unreadable line gives an error, a header
/// naming a node the directory does not know is refused as the router refuses it, and the other lines are still
/// judged.
public struct HeaderCheck {
    /// The outcome for one input line.
    public enum Outcome: Sendable {
        case decided(line: Int, header: Header, decision: Decision)
        /// Refused before the rules, as the router refuses it: a node the directory does not know
        /// (`UNKNOWN_NODE`).
        case unknownNode(line: Int, header: Header, reason: String)
        case unreadable(line: Int, error: MessageFormatError)
        /// A blank line: nothing to judge.
        case blank(line: Int)

        public var line: Int {
            switch self {
            case .decided(let line, _, _), .unknownNode(let line, _, _), .unreadable(let line, _), .blank(let line):
                line
            }
        }
    }

    /// The router's check code for a node the directory does not know.
    public static let unknownNodeCheck = "UNKNOWN_NODE"

    public let engine: RulesEngine
    public private(set) var context = CaseContext()

    public init(engine: RulesEngine) { self.engine = engine }

    /// Judges one line of JSON. The message counts as received at its `created_at`.
    public mutating func check(line text: some StringProtocol, number: Int) -> Outcome {
        guard !text.allSatisfy(\.isWhitespace) else { return .blank(line: number) }
        let header: Header
        do {
            header = try Header(json: Array(text.utf8))
        } catch {
            return .unreadable(line: number, error: error)
        }
        if let unknown = engine.unknownNodes(in: header).first {
            return .unknownNode(
                line: number,
                header: header,
                reason: "\(unknown.node) (\(unknown.field.name)) is not a node of the rules' directory"
            )
        }
        let decision = engine.decide(header, receivedAt: header.createdAt, context: context)
        context.record(header, decision: decision, receivedAt: header.createdAt)
        return .decided(line: number, header: header, decision: decision)
    }
}
