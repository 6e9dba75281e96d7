import EIXMModel
import Foundation
import Testing

/// The project's threads carry the names given them, as the kernel reports them (what `top -H` and `perf` show).
@Suite("Named threads", .timeLimit(.minutes(1)))
struct NamedThreadTests {
    @Test("each of 512 threads started at once reads back its own name, cut to the 15 bytes Linux keeps")
    func namesReachTheKernel() async {
        // Distinct within the first 15 bytes, longer than 15.
        let names = (0..<512).map { "t\($0).named-thread-test" }
        let seen = await withTaskGroup(of: (String, String).self) { group in
            for name in names {
                group.addTask {
                    await withCheckedContinuation { continuation in
                        NamedThread.start(name) { continuation.resume(returning: (name, Thread.current.name ?? "")) }
                    }
                }
            }
            var seen: [String: String] = [:]
            for await (name, read) in group { seen[name] = read }
            return seen
        }
        for name in names { #expect(seen[name] == String(name.utf8.prefix(15)), "\(name)") }
    }
}
