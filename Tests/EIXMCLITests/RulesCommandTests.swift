import EIXMModel
import EIXMRules
import EIXMTestKit
import Foundation
import Testing

@Suite("eixm rules")
struct RulesCommandTests {
    @Test("rules list names every rule ID with its source and confidence")
    func list() async throws {
        let result = try await CommandRunner.runProcess(["rules", "list"])
        #expect(result.status == 0)
        for rule in RuleID.allCases {
            #expect(result.output.contains("\(rule.rawValue) "), "\(rule) missing")
        }
        #expect(result.output.contains("Dir 2023/977 Art 5(1)(a)"))
        #expect(result.output.contains("the 49 core rules"))
    }

    @Test("rules check judges every line, reports a malformed one by line and field, and exits 2")
    func check() async throws {
        try await TemporaryDirectory.with { folder in
            var request = SampleMessages.request()
            request.copyToEuropol = true
            var outOfMandate = SampleMessages.request()
            outOfMandate.id = SampleMessages.id(5)
            outOfMandate.crimeAreas = [.simpleTheft]
            outOfMandate.to = [.europol]
            let file = folder.appendingPathComponent("headers.jsonl")
            try
                ([
                    request.jsonText(), #"{"id":"8a1f3c52-0b7d-4e61-9a20-112233445509","sender":"SPOC-BE"}"#,
                    outOfMandate.jsonText(),
                ]
                .joined(separator: "\n")).write(to: file, atomically: true, encoding: .utf8)
            let result = try await CommandRunner.runProcess(["rules", "check", file.path])
            #expect(result.status == 2)
            let lines = result.output.split(separator: "\n").map(String.init)
            #expect(lines.count == 3)
            #expect(lines[0].contains(#""verdict":"accept""#))
            #expect(lines[1].contains(#""line":2"#))
            #expect(lines[1].contains(#""field":"to""#))
            #expect(lines[2].contains(#""verdict":"reject""#))
            #expect(lines[2].contains(#""EU-01""#))

            try request.jsonText().write(to: file, atomically: true, encoding: .utf8)
            let clean = try await CommandRunner.runProcess([
                "rules", "check", file.path, "--format", "text", "--mode", "SFD_LEGACY",
            ])
            #expect(clean.status == 0)
            #expect(clean.output.contains("ACCEPT"))
            #expect(clean.output.contains("DL-09"))
        }
    }

    @Test("rules lint accepts the shipped file and reports every problem of a broken one")
    func lint() async throws {
        try await TemporaryDirectory.with { folder in
            let good = folder.appendingPathComponent("rules.yaml")
            try RulesConfiguration.defaultYAML.write(to: good, atomically: true, encoding: .utf8)
            let valid = try await CommandRunner.runProcess(["rules", "lint", good.path])
            #expect(valid.status == 0)
            let broken = RulesConfiguration.defaultYAML
                .replacingOccurrences(of: "mode: DIR_2023_977_FULL", with: "mode: NONE")
                .replacingOccurrences(of: "disabled_rules: []", with: "disabled_rules: [XX-01]")
            try broken.write(to: good, atomically: true, encoding: .utf8)
            let result = try await CommandRunner.runProcess(["rules", "lint", good.path])
            #expect(result.status == 1)
            #expect(result.output.contains("rules.yaml:5:7: mode:") || result.output.contains(": mode: "))
            #expect(result.output.contains("XX-01"))
            #expect(result.output.contains("2 problem(s)"))
            // A broken --rules file stops rules check with the problems.
            let check = try await CommandRunner.runProcess(["rules", "check", "--rules", good.path, "/dev/null"])
            #expect(check.status == 1)
            #expect(check.output.contains("XX-01"))
        }
    }
}

@Suite("The shipped rules-check example")
struct RulesExampleTests {
    @Test("configs/examples/tokyo-case.jsonl: accept, accept, reject (HC-04, TC-01), accept, reject (EJ-01, EJ-02)")
    func tokyoCase() async throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let file = root.appendingPathComponent("configs/examples/tokyo-case.jsonl").path
        let result = try await CommandRunner.runProcess(["rules", "check", file])
        #expect(result.status == 0)
        let decisions = try result.output.split(separator: "\n").map { line in
            try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
        #expect(decisions.map { $0["verdict"] as? String } == ["accept", "accept", "reject", "accept", "reject"])
        #expect(decisions[2]["rules"] as? [String] == ["HC-04", "TC-01"])
        #expect(decisions[4]["rules"] as? [String] == ["EJ-01", "EJ-02"])
    }
}
