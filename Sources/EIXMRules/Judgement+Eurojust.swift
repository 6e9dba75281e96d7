import EIXMModel

// Eurojust: EJ-01, EJ-02, EJ-03, EJ-05 (EIXM-RULES.md §6; Reg 2018/1727 Arts 21, 49).

extension Judgement {
    mutating func checkEurojust(_ header: Header) {
        if addresses(header, .eurojust) {
            if let sender, sender.isMemberStateLawEnforcement, !sender.judicialCooperation {
                violate(.ej01, "a police body reaches Eurojust through its competent judicial authority, not directly")
            }
            switch header.assistanceRequested {
            case nil:
                violate(.ej02, "a message to Eurojust states whether assistance is requested (assistance_requested)")
            case true?: note(.ej02, "a request for Eurojust's assistance (Art 21(2))")
            case false?: break
            }
        }
        if let event = header.jitEvent {
            if addresses(header, .eurojust) {
                note(.ej03, "\(event) notified to Eurojust")
            } else {
                oblige(
                    Obligation(.notify, rule: .ej03, to: .eurojust, note: "\(event)"),
                    "a joint investigation team's set-up or results are notified to the national member at Eurojust"
                )
            }
        }
        let betweenAgencies =
            (header.sender == .europol && addresses(header, .eurojust))
            || (header.sender == .eurojust && addresses(header, .europol))
        if betweenAgencies, header.containsPersonalData, header.messageType != .request, !hasProviderPermission(header)
        {
            violate(
                .ej05,
                "Europol and Eurojust exchange hit/no-hit only; personal data after a hit needs the provider's decision"
            )
        }
    }
}
