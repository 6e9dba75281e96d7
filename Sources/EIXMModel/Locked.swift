import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A value behind a lock: the standard library's `Mutex`, made visible to ThreadSanitizer.
///
/// On Linux `Mutex` waits on a futex inside the (uninstrumented) standard library, so ThreadSanitizer sees no order
/// between two critical sections and reports every value a `Mutex` guards as a race (scripts/sanitizers.sh thread
/// showed it on each of ours). Under ThreadSanitizer its runtime provides `__tsan_acquire` and `__tsan_release`,
/// and this type tells it, on entering and leaving each critical section, that they are ordered; elsewhere those
/// functions are absent and it costs one test of a constant. Every lock in eixm is one of these.
///
/// Inlinable, so that each use is specialized for its value in the module that uses it: unspecialized, every critical
/// section looked up the value's type metadata at run time.
public final class Locked<Value>: Sendable {
    @usableFromInline let mutex: Mutex<Value>

    public init(_ value: consuming sending Value) {
        mutex = Mutex(value)
    }

    /// Runs `body` with the value, alone.
    @inlinable
    public func withLock<Result: ~Copyable, E: Error>(
        _ body: (inout sending Value) throws(E) -> sending Result
    ) throws(E) -> sending Result {
        let token = Unmanaged.passUnretained(self).toOpaque()
        return try mutex.withLock { (value: inout sending Value) throws(E) -> sending Result in
            SanitizerAnnotations.shared.acquire?(token)
            defer { SanitizerAnnotations.shared.release?(token) }
            return try body(&value)
        }
    }
}

/// Looked up once for all `Locked` values (a generic class cannot hold a stored static).
@usableFromInline
enum SanitizerAnnotations {
    @usableFromInline typealias Annotation = @convention(c) (UnsafeMutableRawPointer?) -> Void

    @usableFromInline static let shared: (acquire: Annotation?, release: Annotation?) = {
        #if canImport(Glibc)
        let handle = UnsafeMutableRawPointer(bitPattern: 0)  // RTLD_DEFAULT
        return (
            dlsym(handle, "__tsan_acquire").map { unsafeBitCast($0, to: Annotation.self) },
            dlsym(handle, "__tsan_release").map { unsafeBitCast($0, to: Annotation.self) }
        )
        #else
        return (nil, nil)
        #endif
    }()
}
