import EIXMModel
import Foundation
import Logging
import Testing

@testable import EIXMCLI

@Suite("JSON Lines logs")
struct JSONLinesLogHandlerTests {
    @Test("a record is one line of JSON with timestamp, level, label, message and the metadata under dotted names")
    func oneRecordOneLine() throws {
        let lines = Locked<[Data]>([])
        var handler = JSONLinesLogHandler(label: "eixm.router", level: .info) { data in
            lines.withLock { $0.append(data) }
        }
        handler[metadataKey: "node.id"] = "SPOC-BE"
        let logger = Logger(label: "eixm.router", factory: { _ in handler })
        logger.notice(
            "throughput",
            metadata: [
                "accepted.per_second": "12.5",
                "queues": ["deepest": .array(["SPOC-MT 4", "SPOC-FR 1"])],
                "note": "a \"quoted\"\nline",
            ]
        )
        logger.debug("below the level: not written")
        let written = lines.withLock { $0 }
        #expect(written.count == 1)
        let line = try #require(written.first)
        #expect(line.last == UInt8(ascii: "\n"))
        #expect(line.dropLast().contains(UInt8(ascii: "\n")) == false, "one record, one line")
        let object = try #require(try JSONSerialization.jsonObject(with: line) as? [String: Any])
        #expect(object["level"] as? String == "notice")
        #expect(object["label"] as? String == "eixm.router")
        #expect(object["message"] as? String == "throughput")
        #expect(object["node.id"] as? String == "SPOC-BE")
        #expect(object["accepted.per_second"] as? String == "12.5")
        #expect(object["queues.deepest"] as? [String] == ["SPOC-MT 4", "SPOC-FR 1"])
        #expect(object["note"] as? String == "a \"quoted\"\nline")
        let timestamp = try #require(object["timestamp"] as? String)
        #expect(Timestamp(rfc3339: timestamp) != nil, "\(timestamp)")
    }
}
