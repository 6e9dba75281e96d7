import EIXMModel

// Third countries and logging: TC-01, LOG-01, LOG-03 (EIXM-RULES.md §6).

extension Judgement {
    mutating func checkThirdCountriesAndLogging(_ header: Header) {
        // The states the data came from: originator_ms, and the sender's state of a message forwarded, whose
        // authorisation originator_consent cannot give when originator_ms names another state.
        if header.containsPersonalData, recipients.contains(where: \.isThirdParty) {
            for origin in originsWithoutConsent(header) {
                if header.urgencyReason == .imminentSeriousThreatPublicSecurity {
                    oblige(
                        Obligation(
                            .notify,
                            rule: .tc01,
                            to: .spoc(origin),
                            note: "transfer without prior authorisation for an immediate serious threat"
                        ),
                        "immediate serious threat: the originating state is told afterwards"
                    )
                } else {
                    violate(
                        .tc01,
                        "personal data received from \(origin) goes to a third country only with its prior authorisation"
                    )
                }
            }
        }
        switch header.messageType {
        case .request, .reply, .refusal, .clarificationRequest, .clarification, .spontaneous, .copy:
            // The SPOCs that send it, receive it, or get a copy the rules require (CH-04, CH-05: Dir Art 16(1)(a)
            // covers every exchange a SPOC takes part in), each once.
            var spocs: [NodeID] = []
            if let sender, sender.kind == .spoc { spocs.append(sender.id) }
            for recipient in recipients where recipient.kind == .spoc { spocs.append(recipient.id) }
            for copy in obligations where copy.kind == .copy {
                if let node = copy.to, tables.configuration.directory.profile(node)?.kind == .spoc {
                    spocs.append(node)
                }
            }
            for (index, spoc) in spocs.enumerated() where !spocs[..<index].contains(spoc) {
                oblige(
                    Obligation(.log, rule: .log01, to: spoc),
                    "a SPOC logs what it sends, receives and is copied in its case-management system"
                )
            }
        default:
            break
        }
        if header.channel == .prumAutomated {
            let retention = tables.configuration.retention
            let note =
                "keep \(DurationText.text(seconds: retention.prumLogKeep)); give to the DPA within \(DurationText.text(seconds: retention.prumLogDPADelivery)) on request"
            for party in [header.sender] + header.recipients {
                oblige(
                    Obligation(.log, rule: .log03, to: party, seconds: retention.prumLogKeep, note: note),
                    "every automated Prüm supply and receipt is logged"
                )
            }
        }
    }
}
