import Crypto
import EIXMAudit
import EIXMModel
import Foundation

/// The JSON rendering of a whole envelope for `eixm message show`: the header (DESIGN.md §4 names), the body's
/// size, SHA-256 and text (when it is UTF-8), and the signature.
struct EnvelopeRendering: Encodable {
    struct Body: Encodable {
        let bytes: Int
        let sha256: String
        let text: String?
    }

    struct Signature: Encodable {
        let scheme: String
        let hex: String
    }

    let header: Header
    let body: Body
    let signature: Signature

    init(_ envelope: Envelope) {
        header = envelope.header
        body = Body(
            bytes: envelope.body.count,
            sha256: AuditRecordFormat.hex(SHA256.hash(data: envelope.body)),
            text: String(validating: envelope.body, as: UTF8.self)
        )
        signature = Signature(
            scheme: envelope.signature.schemeName,
            hex: AuditRecordFormat.hex(envelope.signature.bytes)
        )
    }

    func jsonText() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
