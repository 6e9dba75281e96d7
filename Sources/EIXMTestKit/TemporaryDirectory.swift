import Foundation

/// A fresh folder under the system's temporary directory, removed when the body returns, so that tests that
/// write files never share them.
public enum TemporaryDirectory {
    public static func with<Result>(_ body: (URL) async throws -> Result) async throws -> Result {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("eixm-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: url) }
        return try await body(url)
    }
}
