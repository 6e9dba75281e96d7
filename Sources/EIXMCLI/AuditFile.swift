import EIXMRouter
import Foundation

/// Writes audit events as JSON lines (one object per line, readable with jq).
enum AuditFile {
    static func write(_ events: [AuditEvent], to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = Data()
        for event in events {
            data.append(try encoder.encode(event))
            data.append(0x0A)
        }
        try data.write(to: url)
    }
}
