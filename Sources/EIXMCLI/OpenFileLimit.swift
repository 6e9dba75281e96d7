import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The process's limit on open files, which bounds how many connections a router (or a run with many nodes) can
/// hold: raised to the hard limit at start, and said when even that is low.
enum OpenFileLimit {
    /// Raises the soft limit to the hard one; returns a sentence for standard error when the result is below
    /// `connections` (what the run may hold at once) plus some files besides, or cannot be read.
    @discardableResult
    static func raise(for connections: Int) -> String? {
        let wanted = rlim_t(connections + 256)
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else {
            return
                "cannot read the open-file limit (\(String(cString: strerror(errno)))); connections are bounded by it"
        }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
        }
        guard limit.rlim_cur < wanted else { return nil }
        return
            "the open-file limit is \(limit.rlim_cur) (hard limit \(limit.rlim_max)), below the \(connections) connection(s) this run may hold at once and the files it writes: raise it (ulimit -n \(wanted))"
    }

    /// Raises the limit as ``raise(for:)`` does and refuses the run, before it starts, when even the hard limit is
    /// too low for the connections it must open: such a run would only fail later, at a file it cannot open.
    static func require(_ connections: Int, _ command: String, advice: String = "") throws {
        if let shortfall = raise(for: connections) { throw CommandError("\(command): \(shortfall)\(advice)") }
    }
}
