#if canImport(Glibc)
import Glibc
#endif

/// Gives the memory of closed connections back to the system. glibc's allocator keeps freed memory in its arenas
/// (one per thread that allocated), so after a flood of connections the router's RSS stays at its peak although
/// the connections are gone; `malloc_trim` returns the free pages. Called from the router's periodic tick, it trims
/// only when many connections have closed since the last look, so a steady router never pays for it.
struct MemoryRelease {
    /// How many connections must have closed since the peak seen for a trim to be worth it.
    let threshold: Int
    private var peak = 0

    init(threshold: Int = 256) { self.threshold = threshold }

    /// Looks at the number of open connections now; trims when it fell by `threshold` or more from the peak since
    /// the last trim. Returns whether it trimmed.
    mutating func observe(openConnections: Int) -> Bool {
        peak = max(peak, openConnections)
        guard peak - openConnections >= threshold else { return false }
        peak = openConnections
        guard let trim = Self.mallocTrim else { return false }
        _ = trim(0)
        return true
    }

    /// glibc's `malloc_trim` (declared in malloc.h, which the Glibc module leaves out), or `nil` elsewhere.
    private static let mallocTrim: (@convention(c) (Int) -> CInt)? = {
        #if canImport(Glibc)
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int) -> CInt).self)
        #else
        return nil
        #endif
    }()
}
