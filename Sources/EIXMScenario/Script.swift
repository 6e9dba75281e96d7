import EIXMModel

/// A scenario's script: its injects in the order they happen, and whether the nodes' statistical traffic runs
/// beside them (`background: on`, the default) or not (`background: off`: only the injects and what the players
/// answer to them).
public struct Script: Sendable, Hashable {
    public var background: Bool
    public var injects: [Inject]
    /// What a planner learns from the storyline (`lessons:`), printed with its score.
    public var lessons: [String]

    public init(background: Bool = true, injects: [Inject] = [], lessons: [String] = []) {
        self.background = background
        self.lessons = lessons
        self.injects = injects.sorted { $0.atMilliseconds < $1.atMilliseconds }
    }

    public var isEmpty: Bool { injects.isEmpty }
}
