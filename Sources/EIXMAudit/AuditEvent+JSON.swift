import EIXMModel
import Foundation

extension AuditEvent: Encodable {
    private enum Key: String, CodingKey {
        case event, realTime = "real_time", simulatedTime = "simulated_time", messageID = "message_id", caseID = "case_id", inReplyTo = "in_reply_to"
        case sender, recipients, channel, messageType = "msg_type", handlingCodes = "handling_codes"
        case containsPersonalData = "contains_personal_data", rules, reasons, headerDigest = "header_sha256"
        case bodyDigest = "body_sha256", claimed, certified, node
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
        try container.encodeIfPresent(claimed?.rawValue, forKey: .claimed)
        try container.encodeIfPresent(certified?.rawValue, forKey: .certified)
        try container.encodeIfPresent(node?.rawValue, forKey: .node)
    }
}
