import EIXMModel

// Channels and addressing: CH-01 to CH-05, CH-07 to CH-16 (EIXM-RULES.md §6).

extension Judgement {
    mutating func checkChannels(_ header: Header) {
        checkSIENA(header)
        checkRequestSenders(header)
        checkSPOCCopies(header)
        checkSIRENE(header)
        checkThirdParties(header)
        checkPrum(header)
        checkEuropolContact(header)
        checkLiaisonOfficers(header)
        checkClassification(header)
    }

    /// CH-01, CH-02: SIENA for Directive exchanges, unless an Art 13(2) exception applies.
    private mutating func checkSIENA(_ header: Header) {
        guard isDirective, header.channel != .siena, tables.configuration.mode != .sfdLegacy else { return }
        switch header.messageType {
        case .request, .reply, .spontaneous, .copy:
            break
        default:
            return
        }
        if let exception = header.sienaException {
            if exception == .urgentTemporary {
                oblige(
                    Obligation(
                        .recordOnSIENA,
                        rule: .ch02,
                        note: "urgent temporary deviation: record the exchange on SIENA"
                    ),
                    "\(header.channel) used under the Art 13(2)(b) urgency exception; the exchange must be recorded on SIENA"
                )
            } else {
                note(.ch02, "\(header.channel) used under the Art 13(2) exception \(exception); logged")
            }
            return
        }
        let reason =
            "a Directive \(header.messageType) must travel on SIENA, not \(header.channel), unless siena_exception gives an Art 13(2) ground"
        if tables.configuration.mode == .directiveFull {
            violate(.ch01, reason)
        } else {
            note(.ch01, "SIENA is preferred during the transition: " + reason)
        }
    }

    /// CH-03: only SPOCs and designated LEAs send requests to another state's SPOC.
    private mutating func checkRequestSenders(_ header: Header) {
        guard header.messageType == .request, header.legalBasis == .dir2023977 || header.legalBasis == .sfd2006960,
            let sender, sender.kind != .spoc, sender.kind != .designatedLea
        else { return }
        if let spoc = foreignRecipients.first(where: { $0.kind == .spoc }) {
            violate(
                .ch03,
                "a \(sender.kind) may not send a request to \(spoc.id); only a SPOC or a designated LEA may (Art 4(1))"
            )
        }
    }

    /// CH-04, CH-05: copies to the SPOCs concerned by direct exchanges.
    private mutating func checkSPOCCopies(_ header: Header) {
        guard let sender, let senderState = sender.state else { return }
        let foreign = foreignRecipients
        // CH-04: a designated LEA's request to a foreign SPOC copies its own SPOC.
        if sender.kind == .designatedLea, header.messageType == .request, foreign.contains(where: { $0.kind == .spoc })
        {
            let own = NodeID.spoc(senderState)
            if !addresses(header, own) {
                if let exemption = header.noCopyReason {
                    note(.ch04, "no copy to \(own): exemption \(exemption) (Art 4(2))")
                } else {
                    oblige(
                        Obligation(.copy, rule: .ch04, to: own),
                        "a designated LEA's request to a foreign SPOC is copied to its own SPOC"
                    )
                }
            }
        }
        // CH-05: direct exchanges involving a competent LEA across borders copy the SPOCs of the LEAs' states.
        switch header.messageType {
        case .request, .reply, .spontaneous: break
        default: return
        }
        var spocs: [NodeID] = []
        for recipient in foreign {
            if recipient.isCompetentAuthority, let state = recipient.state { spocs.append(.spoc(state)) }
            if sender.isCompetentAuthority { spocs.append(.spoc(senderState)) }
        }
        for (index, spoc) in spocs.enumerated()
        where !spocs[..<index].contains(spoc) && !involves(header, spoc) && !copies(to: spoc) {
            if let exemption = header.noCopyReason {
                note(.ch05, "no copy to \(spoc): exemption \(exemption) (Art 8(3))")
            } else {
                oblige(
                    Obligation(.copy, rule: .ch05, to: spoc),
                    "a direct exchange with a competent authority is copied to the SPOCs concerned"
                )
            }
        }
    }

    /// CH-07, CH-08: SIS matters on SIRENE, and SIRENE only for SIS alerts.
    private mutating func checkSIRENE(_ header: Header) {
        let aboutSIS = header.legalBasis == .sis || header.sisAlertID != nil
        if aboutSIS, header.channel != .sirene {
            violate(.ch07, "an exchange about an SIS alert goes over SIRENE, not \(header.channel)")
        }
        if header.channel == .sirene, header.sisAlertID == nil {
            violate(.ch08, "a SIRENE exchange must name its SIS alert (sis_alert_id)")
        }
    }

    /// CH-09: third countries and international organisations via Interpol, or SIENA with a Europol partner.
    private mutating func checkThirdParties(_ header: Header) {
        guard header.channel != .interpol else { return }
        for recipient in recipients where recipient.isThirdParty {
            if header.channel == .siena, recipient.europolPartner { continue }
            let route = recipient.europolPartner ? "INTERPOL or SIENA" : "INTERPOL (no Europol agreement allows SIENA)"
            violate(.ch09, "\(recipient.id) is a \(recipient.kind): route via \(route), not \(header.channel)")
        }
    }

    /// CH-10, CH-11, CH-12: the automated Prüm channel and what follows a hit.
    private mutating func checkPrum(_ header: Header) {
        if header.channel == .prumAutomated {
            let prumII = tables.configuration.prumIIEnabled || header.legalBasis == .prumII
            switch header.payloadType {
            case .dnaProfile, .dactyloscopic, .vrd:
                break
            case .facialImage, .policeRecord:
                if !prumII { violate(.ch10, "\(header.payloadType!) needs Prüm II, which is not in force") }
            case .narrative:
                violate(.ch10, "the automated Prüm channel carries no narrative requests")
            case nil:
                violate(.ch10, "an automated Prüm exchange must give its payload_type")
            }
            switch header.payloadType {
            case .dnaProfile, .dactyloscopic, .facialImage:
                if header.containsPersonalData {
                    violate(
                        .ch11,
                        "an automated biometric Prüm answer carries hit/no-hit and a reference only, no personal data"
                    )
                }
            default:
                break
            }
        }
        if header.prumHitRef != nil {
            if header.channel == .prumAutomated {
                violate(.ch12, "data after a Prüm hit is asked for in a new exchange, not on the automated channel")
            } else if header.channel == .siena ? !isDirective : header.channel != .judicial {
                violate(.ch12, "data after a Prüm hit is asked for on SIENA under Dir 2023/977 or by judicial MLA/EIO")
            }
        }
    }

    /// CH-13, CH-14: competent authorities (designated ones and PCCCs included) and Europol.
    private mutating func checkEuropolContact(_ header: Header) {
        guard let sender, sender.isCompetentAuthority, let state = sender.state, addresses(header, .europol) else {
            return
        }
        guard let policy = tables.configuration.directory.states[state], policy.allowsDirectEuropolContact else {
            violate(
                .ch13,
                "\(state) does not allow its competent authorities (\(sender.kind) included) to contact Europol directly: route via its ENU"
            )
            return
        }
        let enu = policy.enu
        if policy.enuOptedOutOfCopies {
            note(.ch14, "\(state)'s ENU opted out of copies of direct contacts with Europol")
        } else if !involves(header, enu) {
            oblige(
                Obligation(.copy, rule: .ch14, to: enu),
                "a direct exchange between a competent authority and Europol is copied to the ENU"
            )
        }
    }

    /// CH-15: liaison officers' bilateral exchanges outside Europol's mandate.
    private mutating func checkLiaisonOfficers(_ header: Header) {
        guard let sender, sender.kind == .liaisonOfficer, header.channel == .siena, !inMandate else { return }
        if addresses(header, .europol) {
            violate(
                .ch15,
                "outside Europol's mandate a liaison officers' exchange may use Europol only as transport, not address it"
            )
        } else {
            oblige(
                Obligation(
                    .transportOnly,
                    rule: .ch15,
                    to: .europol,
                    note: "Europol carries the message but may not process it"
                ),
                "a liaison officers' bilateral exchange outside Europol's mandate: Europol is transport only"
            )
        }
    }

    /// CH-16: classification within the channel's ceiling.
    private mutating func checkClassification(_ header: Header) {
        guard let level = header.classification, let ceiling = tables.configuration.channelCeilings[header.channel],
            level.wireCode > ceiling.wireCode
        else { return }
        violate(.ch16, "\(level) is above \(header.channel)'s accreditation ceiling \(ceiling)")
    }
}
