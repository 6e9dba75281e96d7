import EIXMModel
import Foundation

extension Encodable {
    /// Pretty JSON with snake_case keys, sorted, as the reports are written.
    func reportJSON() throws -> Data { try SnakeCaseJSON.encoder().encode(self) }
}

extension Decodable {
    /// A report as ``reportJSON()`` writes it.
    public static func fromReportJSON(_ data: Data) throws -> Self {
        try SnakeCaseJSON.decoder().decode(Self.self, from: data)
    }
}
