import Testing

@testable import EIXMExercise

@Suite("Memory release after connections close")
struct MemoryReleaseTests {
    @Test("trims only when the open connections fell by the threshold from their peak since the last trim")
    func threshold() {
        var release = MemoryRelease(threshold: 100)
        let trims = [40, 500, 401, 400, 350, 301, 250].map { release.observe(openConnections: $0) }
        #if canImport(Glibc)
        // The peak starts again from the level trimmed at (400).
        #expect(trims == [false, false, false, true, false, false, true])
        #else
        #expect(trims.allSatisfy { !$0 })
        #endif
    }
}
