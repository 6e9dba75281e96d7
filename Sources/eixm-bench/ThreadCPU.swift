import Foundation

/// CPU seconds (user + system) used by each thread of a process, from `/proc/<pid>/task/*/stat`, so that a run can
/// say which of its threads did the work: the router's own (its actor, the audit writer, the spool writer) and the
/// event loops (its connections', or in one process those that every party shares).
struct ThreadCPU {
    /// CPU seconds by thread ID, each with the thread's name.
    private(set) var threads: [Int32: (name: String, seconds: Double)] = [:]

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
                let entry = parse(stat, ticks: ticks)
            else { continue }
            cpu.threads[id] = entry
        }
        return cpu
    }

    /// A `stat` line's name (between the first "(" and the last ")", since a name may hold either) and its utime +
    /// stime (fields 14 and 15, the 12th and 13th after the name).
    static func parse(_ stat: String, ticks: Double) -> (name: String, seconds: Double)? {
        guard let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")"), open < close else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (String(stat[stat.index(after: open)..<close]), (user + system) / ticks)
    }

    /// CPU seconds used since `earlier` by the threads whose name `matches` (a thread started since counts from
    /// zero; one ended since is not counted).
    func seconds(since earlier: ThreadCPU, where matches: (String) -> Bool) -> Double {
        threads.reduce(0) { total, entry in
            guard matches(entry.value.name) else { return total }
            return total + entry.value.seconds - (earlier.threads[entry.key]?.seconds ?? 0)
        }
    }
}
