import EIXMModel
import Foundation

extension AuditEvent {
    /// Appends the event's fields in record order (after seq, times and event name), absent ones left out.
    func writeFields(into fields: inout JSONFields) {
        if let messageID { fields.uuid("message_id", messageID) }
        if let caseID { fields.string("case_id", caseID) }
        if let inReplyTo { fields.uuid("in_reply_to", inReplyTo) }
        if let sender { fields.string("sender", sender.rawValue) }
        if !recipients.isEmpty { fields.strings("recipients", recipients.lazy.map(\.rawValue)) }
        if let channel { fields.string("channel", channel.rawValue) }
        if let messageType { fields.string("msg_type", messageType.rawValue) }
        if !handlingCodes.isEmpty { fields.strings("handling_codes", handlingCodes.codes.lazy.map(\.rawValue)) }
        if containsPersonalData { fields.bool("contains_personal_data", true) }
        if !rules.isEmpty { fields.strings("rules", rules) }
        if !reasons.isEmpty { fields.strings("reasons", reasons) }
        if let headerDigest { fields.string("header_sha256", headerDigest) }
        if let bodyDigest { fields.string("body_sha256", bodyDigest) }
        if let receipt {
            fields.timestamp("received_at", receipt.content.receivedAt)
            fields.string("receipt_scheme", receipt.signature.schemeName)
            fields.hex("receipt_signature", receipt.signature.bytes)
        }
        if let claimed { fields.string("claimed", claimed.rawValue) }
        if let certified { fields.string("certified", certified.rawValue) }
        if let certificateFingerprint { fields.string("certificate_sha256", certificateFingerprint) }
        if let peerAddress { fields.string("peer_address", peerAddress) }
        if let node { fields.string("node", node.rawValue) }
    }
}
