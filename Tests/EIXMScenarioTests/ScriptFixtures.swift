import EIXMAudit
import EIXMModel
import EIXMRules
import EIXMScenario
import Foundation
import Yams

/// Scripts read from YAML text, and audit logs written by hand (one record per call), for the scoring tests: the
/// expectations come from the test's own records, never from a router.
enum ScriptFixtures {
    static let start = Timestamp(rfc3339: "2026-11-29T08:00:00Z")!
    static let nodes: [NodeID] = ["SPOC-BE", "SPOC-FR", "EUROPOL", "UK-NCA", "EUROJUST"].map { NodeID($0)! }

    /// Reads a script; returns it with every problem found.
    static func script(_ yaml: String) -> (script: Script, problems: [ConfigurationProblem]) {
        var reader = ConfigReader(file: "test.yaml")
        guard let root = reader.root(yaml: yaml), let mapping = root.mapping else { return (Script(), reader.problems) }
        let script = Script.read(
            background: mapping["background"],
            injects: mapping["injects"],
            lessons: mapping["lessons"],
            nodes: nodes,
            reader: &reader
        )
        return (script, reader.problems)
    }

    /// The header of Belgium's urgent request to France in case BE-1, as YAML.
    static let request = """
              from: SPOC-BE
              header:
                case_id: BE-1
                to: [SPOC-FR]
                channel: SIENA
                msg_type: REQUEST
                legal_basis: DIR_2023_977
                urgency: URGENT
                urgency_reason: IMMINENT_RISK_INFO_LOSES_RELEVANCE
                accessibility: DIRECT
                crime_areas: [DRUG_TRAFFICKING, ORGANISED_CRIME]
                affected_ms: [BE, FR]
                purpose: CRIME_INVESTIGATION
                language: FR
                handling_codes: [H0]
                copy_to_europol: true
        """
}

/// An audit log built record by record, with sequence numbers from 1 and simulated times as minutes after the start.
struct LogBuilder {
    private(set) var lines: [String] = []
    /// Messages with a `received` record (a log of an earlier version): their decisions carry no digests.
    private var received: Set<String> = []

    @discardableResult
    mutating func add(
        _ event: String,
        minute: Int,
        id: String? = nil,
        sender: String? = nil,
        to: [String]? = nil,
        type: String? = nil,
        caseID: String? = nil,
        inReplyTo: String? = nil,
        node: String? = nil,
        rules: [String]? = nil,
        claimed: String? = nil,
        digests: Bool? = nil
    ) -> UInt64 {
        let seq = UInt64(lines.count + 1)
        let time = Timestamp(
            millisecondsSinceEpoch: ScriptFixtures.start.millisecondsSinceEpoch + Int64(minute) * 60_000
        )
        var object: [String: Any] = [
            "seq": seq, "event": event, "real_time": time.rfc3339, "simulated_time": time.rfc3339,
        ]
        object["message_id"] = id
        object["sender"] = sender
        object["recipients"] = to
        object["msg_type"] = type
        object["case_id"] = caseID
        object["in_reply_to"] = inReplyTo
        object["node"] = node
        object["rules"] = rules
        object["claimed"] = claimed
        // A message's arrival carries its digests: the `received` record of older logs, or else its decision.
        let arrivals = ["received", "accepted", "rejected", "duplicate"]
        if let id, digests ?? (event == "received" || (arrivals.contains(event) && !received.contains(id))) {
            object["header_sha256"] = String(repeating: "ab", count: 32)
            object["body_sha256"] = String(repeating: "cd", count: 32)
        }
        if let id, event == "received" { received.insert(id) }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        lines.append(String(decoding: data, as: UTF8.self))
        return seq
    }

    var records: [AuditRecord] {
        AuditReader.records(in: Array((lines.joined(separator: "\n") + "\n").utf8), segment: "audit-000001.jsonl")
            .records
    }
}
