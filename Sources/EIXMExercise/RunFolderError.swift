/// A run folder that cannot be written: which file, and why, in a sentence.
public struct RunFolderError: Error, Hashable, Sendable, CustomStringConvertible {
    public let path: String
    public let detail: String

    public init(path: String, _ detail: String) {
        self.path = path
        self.detail = detail
    }

    public var description: String { "\(path): \(detail)" }
}
