import EIXMModel
import Foundation

extension AuditEvent: Encodable {
    private enum Key: String, CodingKey {
        case event
        case realTime = "real_time"
        case simulatedTime = "simulated_time"
        case messageID = "message_id"
        case caseID = "case_id"
        case inReplyTo = "in_reply_to"
        case sender, recipients, channel
        case messageType = "msg_type"
        case handlingCodes = "handling_codes"
        case containsPersonalData = "contains_personal_data"
        case rules, reasons
        case headerDigest = "header_sha256"
        case bodyDigest = "body_sha256"
        case claimed, certified, node
        case certificateFingerprint = "certificate_sha256"
        case peerAddress = "peer_address"
        case receivedAt = "received_at"
        case receiptScheme = "receipt_scheme"
        case receiptSignature = "receipt_signature"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(kind.rawValue, forKey: .event)
        try container.encode(realTime.rfc3339, forKey: .realTime)
        try container.encode(simulatedTime.rfc3339, forKey: .simulatedTime)
        try container.encodeIfPresent(messageID?.uuidString.lowercased(), forKey: .messageID)
        try container.encodeIfPresent(caseID, forKey: .caseID)
        try container.encodeIfPresent(inReplyTo?.uuidString.lowercased(), forKey: .inReplyTo)
        try container.encodeIfPresent(sender?.rawValue, forKey: .sender)
        if !recipients.isEmpty { try container.encode(recipients.map(\.rawValue), forKey: .recipients) }
        try container.encodeIfPresent(channel?.rawValue, forKey: .channel)
        try container.encodeIfPresent(messageType?.rawValue, forKey: .messageType)
        if !handlingCodes.isEmpty { try container.encode(handlingCodes.codes.map(\.rawValue), forKey: .handlingCodes) }
        if containsPersonalData { try container.encode(true, forKey: .containsPersonalData) }
        if !rules.isEmpty { try container.encode(rules, forKey: .rules) }
        if !reasons.isEmpty { try container.encode(reasons, forKey: .reasons) }
        try container.encodeIfPresent(headerDigest, forKey: .headerDigest)
        try container.encodeIfPresent(bodyDigest, forKey: .bodyDigest)
        try container.encodeIfPresent(receipt?.content.receivedAt.rfc3339, forKey: .receivedAt)
        try container.encodeIfPresent(receipt?.signature.schemeName, forKey: .receiptScheme)
        try container.encodeIfPresent(
            receipt.map { AuditRecordFormat.hex($0.signature.bytes) },
            forKey: .receiptSignature
        )
        try container.encodeIfPresent(claimed?.rawValue, forKey: .claimed)
        try container.encodeIfPresent(certified?.rawValue, forKey: .certified)
        try container.encodeIfPresent(certificateFingerprint, forKey: .certificateFingerprint)
        try container.encodeIfPresent(peerAddress, forKey: .peerAddress)
        try container.encodeIfPresent(node?.rawValue, forKey: .node)
    }
}
