import EIXMModel
import Foundation

extension AuditRecord {
    /// Why a record's receipt cannot be read back, naming the field.
    public struct UnreadableReceipt: Error, CustomStringConvertible {
        public let description: String
    }

    /// The recipient's signed receipt that an `acknowledged` record holds, with the recipient (`node`), rebuilt from
    /// the record's fields so that anyone with the recipient's certificate can check it; `nil` when the record holds
    /// none.
    public func receipt() throws(UnreadableReceipt) -> (recipient: NodeID, receipt: DeliveryReceipt)? {
        guard receivedAt != nil || receiptScheme != nil || receiptSignature != nil else { return nil }
        func field<Value>(_ name: String, _ value: Value?) throws(UnreadableReceipt) -> Value {
            guard let value else { throw UnreadableReceipt(description: "record \(seq): '\(name)' is missing") }
            return value
        }
        func hex(_ name: String, _ text: String?) throws(UnreadableReceipt) -> [UInt8] {
            guard let bytes = AuditRecordFormat.bytes(hex: Array(try field(name, text).utf8)) else {
                throw UnreadableReceipt(description: "record \(seq): '\(name)' is not hexadecimal")
            }
            return bytes
        }
        let id = try field("message_id", messageID)
        guard let message = UUID(uuidString: id) else {
            throw UnreadableReceipt(description: "record \(seq): 'message_id' \(id) is not a UUID")
        }
        let node = try field("node", node)
        guard let recipient = NodeID(node) else {
            throw UnreadableReceipt(description: "record \(seq): 'node' \(node) is not a node ID")
        }
        let time = try field("received_at", receivedAt)
        guard let receivedAt = Timestamp(rfc3339: time) else {
            throw UnreadableReceipt(description: "record \(seq): 'received_at' \(time) is not an RFC 3339 time")
        }
        let name = try field("receipt_scheme", receiptScheme)
        guard let scheme = SignatureBlock.scheme(named: name) else {
            throw UnreadableReceipt(
                description: "record \(seq): 'receipt_scheme' \(name) is not ed25519 or ed25519-batch"
            )
        }
        do {
            let content = try DeliveryReceipt.Content(
                message: message,
                headerDigest: try hex("header_sha256", headerDigest),
                bodyDigest: try hex("body_sha256", bodyDigest),
                receivedAt: receivedAt
            )
            let signature = try SignatureBlock(scheme: scheme, bytes: try hex("receipt_signature", receiptSignature))
            return (recipient, DeliveryReceipt(content: content, signature: signature))
        } catch let error as UnreadableReceipt {
            throw error
        } catch {
            throw UnreadableReceipt(description: "record \(seq): the receipt: \(error)")
        }
    }
}
