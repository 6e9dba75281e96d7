/// A failure of the audit log itself (not a finding of verification): a folder or file that cannot be used.
public struct AuditError: Error, Sendable, CustomStringConvertible {
    public let path: String
    public let detail: String

    public init(path: String, _ detail: String) {
        self.path = path
        self.detail = detail
    }

    public var description: String { "\(path): \(detail)" }
}
