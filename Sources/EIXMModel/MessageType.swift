/// What a message is (EIXM-RULES.md §4.4).
public enum MessageType: String, WireEnum {
    case request = "REQUEST"
    case reply = "REPLY"
    case spontaneous = "SPONTANEOUS"
    case refusal = "REFUSAL"
    case clarificationRequest = "CLARIFICATION_REQUEST"
    case clarification = "CLARIFICATION"
    case delayNotice = "DELAY_NOTICE"
    case copy = "COPY"
    case hitNotification = "HIT_NOTIFICATION"
    case ack = "ACK"

    public static let wire = WireTable<Self>()
}
