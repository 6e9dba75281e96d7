import ArgumentParser
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Which cores this process's threads may run on (Linux `sched_setaffinity`): `summary --router-cores` gives the
/// router process cores of its own, as if the senders and recipients ran on other machines.
enum CPUAffinity {
    /// `sched_setaffinity(2)`: glibc declares it only under `_GNU_SOURCE`, which the Swift importer does not set.
    private typealias SetAffinity = @convention(c) (pid_t, Int, UnsafeRawPointer) -> Int32

    /// The cores `count` cores from the end: `last(1)` on a 2-core machine is `[1]`.
    static func last(_ count: Int) -> [Int] {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        return Array(max(cores - count, 0)..<cores)
    }

    /// The cores before the last `count`.
    static func allBut(last count: Int) -> [Int] {
        Array(0..<max(ProcessInfo.processInfo.activeProcessorCount - count, 0))
    }

    /// Every core.
    static var all: [Int] { Array(0..<ProcessInfo.processInfo.activeProcessorCount) }

    /// Lets every thread of this process run only on `cores` (threads started later inherit it from their starter).
    static func pin(to cores: [Int]) throws {
        // A null handle is glibc's RTLD_DEFAULT: the symbol wherever the process has it.
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "sched_setaffinity") else {
            throw ValidationError("this system cannot pin threads to cores (no sched_setaffinity)")
        }
        let setAffinity = unsafeBitCast(symbol, to: SetAffinity.self)
        var mask = cpu_set_t()
        let bits = MemoryLayout<cpu_set_t>.size * 8
        try withUnsafeMutableBytes(of: &mask) { bytes in
            for core in cores {
                guard (0..<bits).contains(core) else { throw ValidationError("there is no core \(core) to pin to") }
                bytes[core / 8] |= UInt8(1) << UInt8(core % 8)
            }
        }
        let threads = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
        for thread in threads.compactMap({ pid_t($0) }) {
            let result = withUnsafeBytes(of: &mask) { setAffinity(thread, $0.count, $0.baseAddress!) }
            let error = errno
            // A thread that ended since the listing is no longer there to pin.
            guard result == 0 || error == ESRCH else {
                throw ValidationError(
                    "cannot pin thread \(thread) to cores \(cores.map(String.init).joined(separator: ",")): \(String(cString: strerror(error)))"
                )
            }
        }
    }
}
