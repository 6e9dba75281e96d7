import Dispatch

extension DispatchSemaphore {
    /// Takes signals until `condition` stops holding or `deadline` passes: a signal after which `condition` still
    /// holds (more appended, nothing asked) does not end the wait.
    public func linger(until deadline: DispatchTime, while condition: () -> Bool) {
        while condition(), wait(timeout: deadline) == .success {}
    }
}
