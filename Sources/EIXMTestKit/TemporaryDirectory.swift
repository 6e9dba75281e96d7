import Foundation

/// A fresh folder under the system's temporary directory, removed when the body returns, so that tests that
/// write files never share them.
public enum TemporaryDirectory {
    public static func with<Result>(_ body: (URL) async throws -> Result) async throws -> Result {
        let url = try make()
        defer { try? FileManager.default.removeItem(at: url) }
        return try await body(url)
    }

    /// The same for a body that does not suspend.
    public static func withSync<Result>(_ body: (URL) throws -> Result) throws -> Result {
        let url = try make()
        defer { try? FileManager.default.removeItem(at: url) }
        return try body(url)
    }

    private static func make() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("eixm-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
