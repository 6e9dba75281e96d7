import Foundation

/// Reads what a child process writes into a pipe, with POSIX `read` (again when a signal interrupts it). Foundation's
/// `availableData` and `readDataToEndOfFile()` stop the whole test process on a read error; here the error is
/// thrown, naming the pipe, so that one test fails and the others go on.
public struct PipeReader: Sendable {
    /// Why reading the pipe failed.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Kept so that the descriptor stays open while it is read.
    private let pipe: Pipe

    public init(_ pipe: Pipe) { self.pipe = pipe }

    /// The next bytes written into the pipe (waiting for them); empty once every writer has closed it.
    public func next() throws(Failure) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: 8_192)
        let descriptor = pipe.fileHandleForReading.fileDescriptor
        while true {
            let count = buffer.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress, $0.count) }
            if count >= 0 { return Array(buffer[..<count]) }
            guard errno == EINTR else {
                throw Failure(
                    description: "reading a child process's output (descriptor \(descriptor)) failed: "
                        + String(cString: strerror(errno))
                )
            }
        }
    }

    /// Reads until `enough` holds for the text read so far (checked after each chunk) or the pipe ends, and returns
    /// that text.
    public func read(until enough: (String) -> Bool) throws(Failure) -> String {
        var text = ""
        while !enough(text) {
            let chunk = try next()
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        return text
    }

    /// Reads until a whole line (one its newline has ended) starts with `prefix`, or the pipe ends; returns the text
    /// read and that line (a slice of the text), if it came.
    public func read(untilLineStartingWith prefix: String) throws(Failure) -> (text: String, line: Substring?) {
        func match(_ text: String) -> Substring? {
            text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().first { $0.hasPrefix(prefix) }
        }
        let text = try read { match($0) != nil }
        return (text, match(text))
    }

    /// Everything written into the pipe until every writer has closed it.
    public func readToEnd() throws(Failure) -> String {
        var bytes: [UInt8] = []
        while true {
            let chunk = try next()
            if chunk.isEmpty { return String(decoding: bytes, as: UTF8.self) }
            bytes += chunk
        }
    }
}
