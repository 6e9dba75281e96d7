import EIXMModel

/// Judges a sequence of JSON headers in order, as `eixm rules check` does: each accepted message joins the case
/// context, so a later reply, refusal or forward is judged against it. An unreadable line, or one naming a node
/// the directory does not know, gives an error and the other lines are still judged.
public struct HeaderCheck {
    /// The outcome for one input line.
    public enum Outcome: Sendable {
        case decided(line: Int, header: Header, decision: Decision)
        case unreadable(line: Int, error: MessageFormatError)

        public var line: Int {
            switch self {
            case .decided(let line, _, _), .unreadable(let line, _): line
            }
        }
    }

    public let engine: RulesEngine
    public private(set) var context = CaseContext()

    public init(engine: RulesEngine) { self.engine = engine }

    /// Judges one line of JSON; blank lines give `nil`. The message counts as received at its `created_at`.
    public mutating func check(line text: some StringProtocol, number: Int) -> Outcome? {
        guard !text.allSatisfy(\.isWhitespace) else { return nil }
        let header: Header
        do {
            header = try Header(json: Array(text.utf8))
        } catch {
            return .unreadable(line: number, error: error)
        }
        if let unknown = engine.unknownNodes(in: header).first {
            return .unreadable(
                line: number,
                error: MessageFormatError(.unknownValue, field: unknown.field.name, "\(unknown.node) is not a node of the rules' directory")
            )
        }
        let decision = engine.decide(header, receivedAt: header.createdAt, context: context)
        context.record(header, decision: decision, receivedAt: header.createdAt)
        return .decided(line: number, header: header, decision: decision)
    }
}
