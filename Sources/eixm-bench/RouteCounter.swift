import Synchronization

/// A counter shared by the benchmark's recipient tasks.
final class RouteCounter: Sendable {
    private let count = Atomic<Int>(0)

    func increment() { count.add(1, ordering: .relaxed) }

    var value: Int { count.load(ordering: .relaxed) }
}
