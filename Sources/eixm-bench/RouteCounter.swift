import Synchronization

/// A counter shared by a benchmark's sender or recipient tasks.
final class RouteCounter: Sendable {
    private let count = Atomic<Int>(0)

    func increment(by amount: Int = 1) { count.add(amount, ordering: .relaxed) }

    var value: Int { count.load(ordering: .relaxed) }
}
