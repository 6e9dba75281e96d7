import Foundation

/// The lines of a file, or of standard input for `nil` or `-`.
struct InputLines: Sequence {
    private let text: String

    init(path: String?) throws {
        if let path, path != "-" {
            do {
                text = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                throw CommandError("\(path): cannot read the file (\(error.localizedDescription)).")
            }
        } else {
            text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        }
    }

    func makeIterator() -> IndexingIterator<[Substring]> {
        text.split(separator: "\n", omittingEmptySubsequences: false).makeIterator()
    }
}
