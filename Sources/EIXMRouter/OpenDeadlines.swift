import EIXMModel
import EIXMRules
import Foundation
import HeapModule

/// The requests whose deadline runs, with the rule that set it, kept in order of when they fall due: finding the
/// breached ones looks at the earliest few, not at every open request.
struct OpenDeadlines {
    private struct Due: Comparable {
        let at: Timestamp
        let request: UUID

        static func < (lhs: Due, rhs: Due) -> Bool { lhs.at < rhs.at }
        static func == (lhs: Due, rhs: Due) -> Bool { lhs.at == rhs.at && lhs.request == rhs.request }
    }

    private var rules = UUIDMap<RuleID>()
    /// When each open request falls due; an entry may be stale (answered, or moved later by a pause), and is
    /// checked against the case context when it comes up.
    private var queue = Heap<Due>()

    /// Open requests by the rule that set their deadline.
    var countsByRule: [RuleID: Int] {
        rules.values.reduce(into: [:]) { $0[$1, default: 0] += 1 }
    }

    /// A request's deadline starts to run.
    mutating func open(_ request: UUID, rule: RuleID, due: Timestamp) {
        rules[request] = rule
        queue.insert(Due(at: due, request: request))
    }

    /// A request's deadline moved (resumed after a pause): it is looked at again when it falls due.
    mutating func moved(_ request: UUID, due: Timestamp) {
        guard rules[request] != nil else { return }
        queue.insert(Due(at: due, request: request))
    }

    /// The request was answered: its deadline stops, and the rule that set it is returned.
    mutating func close(_ request: UUID) -> RuleID? {
        rules.removeValue(forKey: request)
    }

    /// Whether a deadline may have passed by `now`: cheap enough to ask for every message.
    func anyDue(by now: Timestamp) -> Bool {
        queue.min.map { $0.at < now } ?? false
    }

    /// Removes and returns the open requests whose deadline has passed by `now` with no answer, as the case context
    /// has them: a paused request waits for its resumption, an extended one (DL-05) is never breached by time.
    mutating func breached(by now: Timestamp, in context: CaseContext) -> [(rule: RuleID, entry: CaseContext.Entry)] {
        var breached: [(rule: RuleID, entry: CaseContext.Entry)] = []
        while let due = queue.min, due.at < now {
            queue.removeMin()
            guard let rule = rules[due.request] else { continue }
            guard let entry = context.entry(due.request) else {
                rules[due.request] = nil
                continue
            }
            guard !entry.extended, entry.pausedSince == nil, let deadline = entry.deadline else { continue }
            if deadline >= now {
                queue.insert(Due(at: deadline, request: due.request))
                continue
            }
            rules[due.request] = nil
            breached.append((rule, entry))
        }
        return breached
    }
}
