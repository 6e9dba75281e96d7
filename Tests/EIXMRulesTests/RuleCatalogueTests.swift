import EIXMRules
import Testing

@Suite("The rule catalogue")
struct RuleCatalogueTests {
    static let coreIDs = [
        "CH-01", "CH-03", "CH-04", "CH-05", "CH-07", "CH-08", "CH-09", "CH-10", "CH-11", "CH-12", "CH-13", "CH-14",
        "CH-15", "EU-01", "EU-02", "EU-04", "EU-06", "EU-07", "HC-02", "HC-03", "HC-04", "HC-05", "HC-06", "EV-01",
        "DL-01", "DL-02", "DL-03", "DL-04", "DL-05", "DL-06", "DL-08", "RF-a", "RF-b", "RF-c", "RF-d", "RF-e", "RF-f",
        "RF-g", "RF-h", "RF-x", "SP-01", "SP-02", "LG-01", "LG-02", "PD-01", "PD-03", "PD-04", "PD-05", "PD-06",
        "EJ-01", "EJ-02", "EJ-03", "EJ-05", "TC-01", "LOG-01", "LOG-03",
    ]

    @Test("every core rule ID of EIXM-RULES.md §6 exists, with text and source; 49 rules counting RF-a..h as one")
    func coreRules() {
        let ids = Set(RuleID.allCases.map(\.rawValue))
        for id in Self.coreIDs { #expect(ids.contains(id), "\(id) missing") }
        #expect(Self.coreIDs.count - 7 == 49)
        #expect(RuleID.allCases.count == Self.coreIDs.count + RuleID.beyondCore.count)
        for rule in RuleID.allCases {
            #expect(!rule.summary.isEmpty)
            #expect(!rule.source.isEmpty)
        }
    }
}
