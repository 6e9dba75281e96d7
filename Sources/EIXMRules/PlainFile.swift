import Foundation

/// Reading a file someone named on a command line or in a configuration: every failure is one plain sentence
/// naming the path (missing, a folder, a device, not allowed, not UTF-8), never a Foundation error's wording.
public enum PlainFile {
    /// Why a file cannot be read, in a sentence that starts with its path.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// Opens a regular file for reading and returns its descriptor (the caller closes it).
    public static func open(_ path: String) throws(Failure) -> Int32 {
        let descriptor = Foundation.open(path, O_RDONLY)
        guard descriptor >= 0 else {
            let reason: String
            switch errno {
            case ENOENT: reason = "there is no such file"
            case EACCES, EPERM: reason = "permission to read it is denied"
            case ENOTDIR: reason = "a part of the path is not a folder"
            case ELOOP: reason = "it is a loop of symbolic links"
            default: reason = "it cannot be opened (\(String(cString: strerror(errno))))"
            }
            throw Failure(description: "\(path): \(reason)")
        }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            Foundation.close(descriptor)
            throw Failure(description: "\(path): it cannot be read (\(String(cString: strerror(errno))))")
        }
        switch status.st_mode & S_IFMT {
        case S_IFREG, S_IFIFO:
            return descriptor
        case S_IFDIR:
            Foundation.close(descriptor)
            throw Failure(description: "\(path): it is a folder, not a file")
        default:
            Foundation.close(descriptor)
            throw Failure(description: "\(path): it is a device or a socket, not a file")
        }
    }

    /// The whole content of a regular file.
    public static func bytes(_ path: String) throws(Failure) -> [UInt8] {
        let descriptor = try open(path)
        defer { Foundation.close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { return bytes }
            guard count > 0 else {
                if errno == EINTR { continue }
                throw Failure(description: "\(path): reading it failed (\(String(cString: strerror(errno))))")
            }
            bytes.append(contentsOf: chunk[..<count])
        }
    }

    /// The content of a regular file as UTF-8 text; the first byte that is not UTF-8 is named by line and offset.
    public static func text(_ path: String) throws(Failure) -> String {
        let bytes = try bytes(path)
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        let (line, offset) = firstInvalidUTF8(in: bytes)
        throw Failure(description: "\(path): line \(line) is not UTF-8 text (byte \(offset) of the file)")
    }

    /// The line (from 1) and byte offset of the first byte that does not decode as UTF-8.
    static func firstInvalidUTF8(in bytes: [UInt8]) -> (line: Int, offset: Int) {
        var line = 1
        var start = 0
        for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
            if String(validating: bytes[start..<index], as: UTF8.self) == nil { break }
            line += 1
            start = index + 1
        }
        var offset = start
        var decoder = UTF8()
        var iterator = bytes[start...].makeIterator()
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): offset += UTF8.width(scalar)
            case .emptyInput, .error: break loop
            }
        }
        return (line, offset)
    }
}
