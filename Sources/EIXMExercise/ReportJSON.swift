import Foundation

extension Encodable {
    /// Pretty JSON with sorted keys, as the reports are written.
    func reportJSON() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}
