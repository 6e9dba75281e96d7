import Foundation

/// CPU seconds (user + system) used by each thread of a process, from `/proc/<pid>/task/*/stat`, so that a run can
/// say which of its threads did the work: the router's own (its actor, the audit writer, the spool writer) and the
/// event loops (its connections', or in one process those that every party shares). Where the kernel keeps
/// scheduler statistics (`/proc/<pid>/task/*/schedstat`), also how long each thread waited, runnable, for a core: a
/// message waits so at each thread it passes on its way to the ACK.
struct ThreadCPU {
    struct Entry {
        let name: String
        let seconds: Double
        /// Seconds spent runnable on a run queue, waiting for a core, and the times the thread was given one.
        var waited: (seconds: Double, runs: Int)?
    }

    /// By thread ID.
    private(set) var threads: [Int32: Entry] = [:]

    /// The threads of this process (or of the process `pid`) living now. Unreadable entries (a thread that ends while
    /// being read) are left out.
    static func sample(pid: Int32? = nil) -> ThreadCPU {
        var cpu = ThreadCPU()
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let folder = "/proc/\(pid.map(String.init) ?? "self")/task"
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        for task in tasks {
            guard let id = Int32(task),
                let stat = try? String(contentsOfFile: "\(folder)/\(task)/stat", encoding: .utf8),
                var entry = parse(stat, ticks: ticks)
            else { continue }
            entry.waited = (try? String(contentsOfFile: "\(folder)/\(task)/schedstat", encoding: .utf8))
                .flatMap(parseWaits)
            cpu.threads[id] = entry
        }
        return cpu
    }

    /// A `stat` line's name (between the first "(" and the last ")", since a name may hold either) and its utime +
    /// stime (fields 14 and 15, the 12th and 13th after the name).
    static func parse(_ stat: String, ticks: Double) -> Entry? {
        guard let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")"), open < close else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return Entry(name: String(stat[stat.index(after: open)..<close]), seconds: (user + system) / ticks)
    }

    /// A `schedstat` line: nanoseconds on a core, nanoseconds waiting on a run queue, times run.
    static func parseWaits(_ schedstat: String) -> (seconds: Double, runs: Int)? {
        let fields = schedstat.split(whereSeparator: \.isWhitespace)
        guard fields.count >= 3, let waited = Double(fields[1]), let runs = Int(fields[2]) else { return nil }
        return (waited / 1e9, runs)
    }

    /// CPU seconds used since `earlier` by the threads whose name `matches` (a thread started since counts from
    /// zero; one ended since is not counted).
    func seconds(since earlier: ThreadCPU, where matches: (String) -> Bool) -> Double {
        threads.reduce(0) { total, entry in
            guard matches(entry.value.name) else { return total }
            return total + entry.value.seconds - (earlier.threads[entry.key]?.seconds ?? 0)
        }
    }

    /// Seconds the threads whose name `matches` waited for a core since `earlier`, and how many times they were
    /// given one; nil without scheduler statistics.
    func waited(since earlier: ThreadCPU, where matches: (String) -> Bool) -> (seconds: Double, runs: Int)? {
        var total = (seconds: 0.0, runs: 0)
        for (id, entry) in threads where matches(entry.name) {
            guard let now = entry.waited else { return nil }
            let before = earlier.threads[id]?.waited ?? (0, 0)
            total.seconds += now.seconds - before.seconds
            total.runs += now.runs - before.runs
        }
        return total
    }
}
