extension RuleID {
    /// One line on what the rule requires, in the project's words (EIXM-RULES.md §6).
    public var summary: String {
        switch self {
        case .ch01:
            "Directive requests, replies, spontaneous information and copies go over SIENA unless an Art 13(2) exception applies."
        case .ch02:
            "A channel other than SIENA under a valid exception is logged; an urgent temporary one must later be recorded on SIENA."
        case .ch03: "Only a SPOC or a designated LEA may send a request to another Member State's SPOC."
        case .ch04:
            "A designated LEA's request to a foreign SPOC is copied to its own SPOC, unless an exemption applies."
        case .ch05:
            "Direct exchanges with or between competent authorities (designated ones and PCCCs included) are copied to the SPOCs concerned, unless an exemption applies."
        case .ch07: "Anything about an SIS alert goes over SIRENE."
        case .ch08: "A SIRENE exchange must name the SIS alert it concerns."
        case .ch09:
            "Third countries and international organisations are reached via Interpol, or via SIENA where Europol has an agreement."
        case .ch10:
            "The automated Prüm channel carries only DNA, fingerprint and vehicle data (plus faces and police records under Prüm II)."
        case .ch11: "An automated Prüm biometric answer carries hit/no-hit and a reference only, no personal data."
        case .ch12:
            "Personal data after a Prüm hit is asked for in a new SIENA or judicial exchange, never on the automated channel."
        case .ch13:
            "A competent authority (designated ones and PCCCs included) contacts Europol through its ENU unless its Member State allows direct contact."
        case .ch14:
            "A direct exchange between a competent authority and Europol is copied to the ENU unless it opted out."
        case .ch15:
            "Liaison officers may exchange bilaterally over Europol's infrastructure outside its mandate, with Europol as transport only."
        case .ch16: "A message may not be classified above its channel's accreditation ceiling."
        case .eu01: "Europol may receive only what falls within its mandate (ER Art 3, Annex I)."
        case .eu02:
            "Each Directive exchange within Europol's mandate records a case-by-case decision on copying Europol; a copy goes over SIENA."
        case .eu03: "Under the legacy Framework Decision, exchanges within Europol's mandate are copied to Europol."
        case .eu04: "Information obtained from another state goes to Europol only with the originator's consent."
        case .eu06:
            "Information may not be re-used for a purpose other than the one it was provided for without the provider's consent."
        case .eu07: "Europol transfers personal data to third countries only on an Art 25 basis or derogation."
        case .hc02: "H0 material is used only to prevent and combat crime."
        case .hc03:
            "H1 material is not passed to judicial bodies or used as evidence without the provider's permission."
        case .hc04: "H2 material is not passed beyond its original addressees without the provider's permission."
        case .hc05: "H3 material carries its restriction text, and forwarding it needs manual review."
        case .hc06: "Information exchanged under the Directive is not used as evidence without the provider's consent."
        case .ev01: "Evaluation codes are A, B, C or X for the source and 1 to 4 for the information."
        case .dl01: "An urgent request for directly available information is answered within 8 hours of receipt."
        case .dl02: "An urgent request for indirectly available information is answered within 3 calendar days."
        case .dl03: "Any other request is answered within 7 calendar days."
        case .dl04: "A request is urgent only for one of the four reasons of Art 4(4)."
        case .dl05:
            "A reply may be delayed past the time limit only for judicial authorisation, announced at once by a delay notice."
        case .dl06: "A clarification request pauses the deadline until the clarification is provided."
        case .dl07:
            "Only the requested side answers a request: its reply or refusal keeps the deadline, its delay notice extends it; one past with no such answer is breached."
        case .dl08: "A SIRENE request for supplementary information is answered within 12 hours."
        case .dl09:
            "Under the legacy Framework Decision: 8 hours (urgent, direct), 7 days (non-urgent), 14 days (other)."
        case .rfA: "A request may be refused because the information is not available."
        case .rfB: "A request may be refused because it does not meet Art 4 (necessity, proportionality, content)."
        case .rfC: "A request may be refused because a required judicial authorisation was refused."
        case .rfD: "A request may be refused because the personal data asked for is outside the Art 10(b) categories."
        case .rfE: "A request may be refused because the information is inaccurate, incomplete or out of date."
        case .rfF:
            "A request may be refused to protect national security, an investigation, a person's safety or a legal person's interests."
        case .rfG:
            "A request may be refused when the offence carries at most one year, or is no offence, in the requested state."
        case .rfH: "Information obtained from another state is refused, and may not be provided, without its consent."
        case .rfX: "A refusal gives one of the grounds RF-a to RF-h and refuses no more than the ground covers."
        case .sp01:
            "Information on a serious offence relevant to another Member State is provided to it on the sender's own initiative."
        case .sp02: "Spontaneous information to a SPOC is in one of its notified languages."
        case .lg01: "A request to a SPOC is in one of its notified languages."
        case .lg02: "A reply is in the language of the request."
        case .pd01: "Personal data concerns only the data-subject categories of ER Annex II(B)."
        case .pd03:
            "Frontex gives personal data to Europol or Eurojust only on suspects (or victims and witnesses with them) of cross-border crime, after a case-by-case necessity assessment."
        case .pd04:
            "Frontex gives personal data to a Member State's law-enforcement authority only when strictly necessary against serious cross-border crime."
        case .pd05:
            "Frontex gives Art 90 operational personal data only to Europol, Eurojust and Member States' law-enforcement authorities."
        case .pd06:
            "Frontex reviews Art 90 personal data after 3 months and then every 6 months, and keeps other personal data at most 90 days."
        case .ej01: "Police bodies reach Eurojust through a competent judicial authority, not directly."
        case .ej02: "A message to Eurojust states whether assistance is requested."
        case .ej03:
            "Setting up a joint investigation team, or its results, is notified to the national member at Eurojust."
        case .ej05:
            "Europol and Eurojust exchange hit/no-hit only; after a hit, disclosure follows the provider's decision."
        case .tc01:
            "Personal data received from a Member State goes to a third country only with that state's prior authorisation."
        case .log01: "Every exchange a SPOC sends or receives is logged in its case-management system."
        case .log03:
            "Every automated Prüm supply or receipt is logged, kept 2 years and given to the DPA within 4 weeks on request."
        }
    }

    /// The legal source, as cited in EIXM-RULES.md §6.
    public var source: String {
        switch self {
        case .ch01: "Dir 2023/977 Art 13(1)-(2)"
        case .ch02: "Dir 2023/977 Art 13(2)(b),(c)"
        case .ch03: "Dir 2023/977 Art 4(1)"
        case .ch04: "Dir 2023/977 Art 4(1)-(2)"
        case .ch05: "Dir 2023/977 Art 8(1)-(3)"
        case .ch07: "Dir 2023/977 Art 1(2); Reg 2018/1862 Art 7; SIRENE Manual"
        case .ch08: "SIRENE Manual; DG HOME SIRENE cooperation"
        case .ch09: "Dir 2023/977 Art 13(2)(a); Europol SIENA partners; EIXM"
        case .ch10: "Prüm Decision Ch. 2; Prüm II (Reg 2024/982) Art 1, 3"
        case .ch11: "Prüm Decision Arts 3-4, 9 (hit/no-hit model)"
        case .ch12: "Prüm Decision Arts 5, 10; Prüm II core-data rules"
        case .ch13: "Reg 2016/794 (ER) Art 7(2),(5)"
        case .ch14: "Reg 2016/794 (ER) Art 7(5)"
        case .ch15: "Reg 2016/794 (ER) Art 8(4); Europol DPF (Recital 24, Art 38(7))"
        case .ch16: "EUCI levels; channel accreditation ceilings"
        case .eu01: "Reg 2016/794 (ER) Art 3(1)-(2), Annex I"
        case .eu02: "Dir 2023/977 Art 12, Art 13(1)"
        case .eu03: "FD 2006/960 (SFD) Art 6(2)"
        case .eu04: "Dir 2023/977 Art 12; Art 6(1)(h)"
        case .eu06: "Reg 2016/794 (ER) Art 19(1)"
        case .eu07: "Reg 2016/794 (ER) Art 25(1)"
        case .hc02: "SIENA handling code H0; ER Art 19(2)"
        case .hc03: "SIENA handling code H1; ER Art 19(2)"
        case .hc04: "SIENA handling code H2; ER Art 19(2)"
        case .hc05: "SIENA handling code H3; ER Art 19(2)"
        case .hc06: "Dir 2023/977 (no right to use as evidence); FD 2006/960"
        case .ev01: "Reg 2016/794 (ER) Art 29"
        case .dl01: "Dir 2023/977 Art 5(1)(a)"
        case .dl02: "Dir 2023/977 Art 5(1)(b)"
        case .dl03: "Dir 2023/977 Art 5(1)(c)"
        case .dl04: "Dir 2023/977 Art 4(4); §92f IRG (DE)"
        case .dl05: "Dir 2023/977 Art 5(2)"
        case .dl06: "Dir 2023/977 Art 6(3); R49-37 CPP (FR)"
        case .dl07: "Dir 2023/977 Art 5(1)-(2), Art 6(3)"
        case .dl08: "Reg 2018/1862 Art 8(3); SIRENE Manual"
        case .dl09: "FD 2006/960 (SFD) Art 4"
        case .rfA: "Dir 2023/977 Art 6(1)(a)"
        case .rfB: "Dir 2023/977 Art 6(1)(b)"
        case .rfC: "Dir 2023/977 Art 6(1)(c)"
        case .rfD: "Dir 2023/977 Art 6(1)(d)"
        case .rfE: "Dir 2023/977 Art 6(1)(e)"
        case .rfF: "Dir 2023/977 Art 6(1)(f)"
        case .rfG: "Dir 2023/977 Art 6(1)(g)"
        case .rfH: "Dir 2023/977 Art 6(1)(h)"
        case .rfX: "Dir 2023/977 Art 6"
        case .sp01: "Dir 2023/977 Art 7(1)-(2), Art 2(3)"
        case .sp02: "Dir 2023/977 Art 7(3)"
        case .lg01: "Dir 2023/977 Art 11, Art 14(2)(a)"
        case .lg02: "Dir 2023/977 Art 5(3)"
        case .pd01: "Dir 2023/977 Art 10, Art 6(1)(d); ER Annex II(B)"
        case .pd03: "Reg 2019/1896 Art 90(1)-(2)(a), Art 68; EDPS reprimand 2025"
        case .pd04: "Reg 2019/1896 Art 90(2)(b)"
        case .pd05: "Reg 2019/1896 Art 90(2)"
        case .pd06: "Reg 2019/1896 Art 91"
        case .ej01: "Reg 2018/1727 Art 21(1),(3)"
        case .ej02: "Reg 2018/1727 Art 21(2)"
        case .ej03: "Reg 2018/1727 Art 21(4)"
        case .ej05: "Reg 2018/1727 Art 49(1)"
        case .tc01: "Dir 2016/680 (LED) Art 35"
        case .log01: "Dir 2023/977 Art 16(1)(a)-(e)"
        case .log03: "Prüm Decision Art 30"
        }
    }

    /// How far the rule can be trusted (EIXM-RULES.md §0): the weakest tag the rule's line carries.
    public var confidence: Confidence {
        switch self {
        case .ch02, .ej01: .simulation
        case .ch12, .ch16: .uncertain
        case .ch09, .ch10, .ch11, .eu02, .eu04, .dl04, .dl07, .tc01, .log03: .believed
        default: .verified
        }
    }

    /// The rules of the same group, for listing: the letters before the dash.
    public var group: String { String(rawValue.prefix { $0 != "-" }) }
}
