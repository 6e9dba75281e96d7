import EIXMRules
import Foundation

/// The lines of a file, or of standard input for `nil` or `-`, read a chunk at a time: LF or CRLF ends a line, and
/// each line is decoded on its own, so that one line that is not UTF-8 costs that line only.
struct InputLines: Sequence {
    /// One line: its number (from 1) and its text, or `nil` when it is not UTF-8.
    struct Line {
        let number: Int
        let text: String?
    }

    private let descriptor: Int32
    private let closes: Bool

    init(path: String?) throws {
        if let path, path != "-" {
            do {
                descriptor = try PlainFile.open(path)
            } catch {
                throw CommandError("\(error).")
            }
            closes = true
        } else {
            descriptor = FileHandle.standardInput.fileDescriptor
            closes = false
        }
    }

    func makeIterator() -> Iterator { Iterator(descriptor: descriptor, closes: closes) }

    final class Iterator: IteratorProtocol {
        private let descriptor: Int32
        private let closes: Bool
        private var buffer: [UInt8] = []
        private var start = 0
        /// Where the search for the next newline goes on (the bytes before it hold none).
        private var scanned = 0
        private var ended = false
        private var number = 0

        init(descriptor: Int32, closes: Bool) {
            self.descriptor = descriptor
            self.closes = closes
        }

        deinit { if closes { Foundation.close(descriptor) } }

        func next() -> Line? {
            while true {
                if let newline = buffer[Swift.max(start, scanned)...].firstIndex(of: UInt8(ascii: "\n")) {
                    defer {
                        start = newline + 1
                        scanned = start
                    }
                    return line(buffer[start..<newline])
                }
                scanned = buffer.count
                if ended {
                    guard start < buffer.count else { return nil }
                    defer { start = buffer.count }
                    return line(buffer[start...])
                }
                buffer.removeFirst(start)
                scanned -= start
                start = 0
                var chunk = [UInt8](repeating: 0, count: 64 * 1024)
                let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                if count > 0 {
                    buffer.append(contentsOf: chunk[..<count])
                } else if count == 0 || errno != EINTR {
                    ended = true
                }
            }
        }

        private func line(_ bytes: ArraySlice<UInt8>) -> Line {
            number += 1
            let content = bytes.last == UInt8(ascii: "\r") ? bytes.dropLast() : bytes
            return Line(number: number, text: String(validating: content, as: UTF8.self))
        }
    }
}
