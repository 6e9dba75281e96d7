@_spi(CustomByteBufferAllocator) import NIOCore

#if canImport(Glibc)
import Glibc
#endif

/// Byte buffers in their own memory mappings, for the large buffers a connection keeps for its whole life and mostly
/// leaves unused: NIOSSL reserves 48 KiB per connection (a 32 KiB buffer for decrypted bytes, 16 KiB for encrypted
/// ones), of which an idle connection's heartbeats use the first page or two. From the heap, those buffers are
/// carved out of memory the handshakes before them already touched, so most of their pages count in the router's
/// resident memory; mapped on their own, only the pages written ever become resident. Used only while the TLS handler
/// is added (the buffers it makes then, and those they grow into, keep this allocator), so the buffers of reads and
/// writes are still the heap's.
enum PageMappedAllocator {
    static let allocator: ByteBufferAllocator = {
        #if canImport(Glibc)
        ByteBufferAllocator(
            allocate: { size in mapped(size) },
            reallocate: { pointer, oldSize, newSize in
                guard let pointer else { return mapped(newSize) }
                guard let moved = mapped(newSize) else { return nil }
                moved.copyMemory(from: pointer, byteCount: min(oldSize, newSize))
                unmapped(pointer)
                return moved
            },
            deallocate: { pointer in unmapped(pointer) },
            copy: { destination, source, count in destination.copyMemory(from: source, byteCount: count) }
        )
        #else
        ByteBufferAllocator()
        #endif
    }()

    #if canImport(Glibc)
    /// Bytes before the buffer: its mapping's length for `munmap`, or 0 when it came from `malloc` (16 keeps the
    /// buffer aligned as `malloc`'s are).
    private static let header = 16

    /// A mapping of its own, or the heap's memory when the system refuses one (at `vm.max_map_count` mappings).
    private static func mapped(_ size: Int) -> UnsafeMutableRawPointer? {
        let length = size + header
        let base = mmap(nil, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        if let base, base != MAP_FAILED {
            base.storeBytes(of: length, as: Int.self)
            return base + header
        }
        guard let base = malloc(length) else { return nil }
        base.storeBytes(of: 0, as: Int.self)
        return base + header
    }

    private static func unmapped(_ pointer: UnsafeMutableRawPointer) {
        let base = pointer - header
        let length = base.load(as: Int.self)
        if length == 0 { free(base) } else { munmap(base, length) }
    }
    #endif
}
