import EIXMModel
import EIXMRules
import Foundation
import Testing

@Suite("The rules file")
struct RulesConfigurationTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test("configs/rules.yaml is valid and is the configuration built into the binary")
    func builtInMatchesFile() throws {
        let text = try String(
            contentsOf: Self.repositoryRoot.appendingPathComponent("configs/rules.yaml"),
            encoding: .utf8
        )
        #expect(RulesConfiguration.lint(yaml: text, file: "configs/rules.yaml").isEmpty)
        #expect(
            text.trimmingCharacters(in: .whitespacesAndNewlines)
                == RulesConfiguration.defaultYAML.trimmingCharacters(in: .whitespacesAndNewlines),
            "run scripts/embed-configs.sh"
        )
    }

    @Test("the built-in directory has the 31 SPOCs, the agencies and the scenario nodes")
    func directory() throws {
        let directory = RuleFixtures.configuration.directory
        for state in MemberState.allCases { #expect(directory.profile(.spoc(state))?.kind == .spoc) }
        #expect(directory.profile(.europol)?.kind == .europol)
        #expect(directory.profile(RuleFixtures.node("UK-NCA"))?.europolPartner == true)
        // Interpol is a partner organisation of Europol (CH-09).
        #expect(directory.profile(RuleFixtures.node("INTERPOL-GS"))?.europolPartner == true)
        #expect(directory.profile(.spoc(.be))?.languages.contains(.english) == true)
        #expect(directory.profile(RuleFixtures.node("JA-BE"))?.judicialCooperation == true)
    }

    private func problems(replacing old: String, with new: String) -> [ConfigurationProblem] {
        let text = RulesConfiguration.defaultYAML
        precondition(text.contains(old), "fixture text not found: \(old)")
        return RulesConfiguration.lint(yaml: text.replacingOccurrences(of: old, with: new), file: "test.yaml")
    }

    private func line(of text: String) -> Int {
        RulesConfiguration.defaultYAML.components(separatedBy: "\n").firstIndex { $0.contains(text) }! + 1
    }

    @Test("an unknown key is named with its line")
    func unknownKey() throws {
        let found = problems(replacing: "prum_ii: true", with: "prum_ii: true\nprum_iii: true")
        let problem = try #require(found.first)
        #expect(found.count == 1)
        #expect(problem.key == "prum_iii")
        #expect(problem.line == line(of: "prum_ii: true") + 1)
        #expect(problem.file == "test.yaml")
    }

    @Test("an unknown rule ID is an error, in disabled_rules and as a deadline key")
    func unknownRuleIDs() {
        let disabled = problems(replacing: "disabled_rules: []", with: "disabled_rules: [CH-99]")
        #expect(disabled.map(\.key) == ["disabled_rules"])
        #expect(disabled.first?.message.contains("CH-99") == true)
        let deadline = problems(replacing: "  DL-08: 12h", with: "  DL-08: 12h\n  DL-07: 1d")
        #expect(deadline.map(\.key) == ["deadlines.DL-07"])
    }

    @Test("bad values are named by key: mode, duration, classification, language, state, node kind")
    func badValues() {
        #expect(problems(replacing: "mode: DIR_2023_977_FULL", with: "mode: FULL").map(\.key) == ["mode"])
        #expect(problems(replacing: "  DL-01: 8h", with: "  DL-01: eight hours").map(\.key) == ["deadlines.DL-01"])
        #expect(
            problems(replacing: "  SIENA: EU_CONFIDENTIAL", with: "  SIENA: SECRETISH").map(\.key) == [
                "channel_ceilings.SIENA"
            ]
        )
        #expect(
            problems(replacing: "AT: {languages: [DE, EN]}", with: "AT: {languages: [GERMAN]}").map(\.key) == [
                "states.AT.languages"
            ]
        )
        #expect(
            problems(replacing: "AT: {languages: [DE, EN]}", with: "XX: {languages: [DE]}").map(\.key) == ["states.XX"]
        )
        #expect(
            problems(replacing: "kind: PRUM_NCP, state: AT", with: "kind: ROBOT, state: AT").map(\.key) == [
                "nodes[11].kind"
            ]
        )
    }

    @Test("lint reports every problem, not just the first")
    func everyProblem() {
        var text = RulesConfiguration.defaultYAML
        text = text.replacingOccurrences(of: "mode: DIR_2023_977_FULL", with: "mode: FULL")
        text = text.replacingOccurrences(of: "  DL-01: 8h", with: "  DL-01: soon")
        text = text.replacingOccurrences(of: "prum_ii: true", with: "prum_ii: maybe")
        let found = RulesConfiguration.lint(yaml: text, file: "test.yaml")
        #expect(Set(found.map(\.key)) == ["mode", "deadlines.DL-01", "prum_ii"])
        #expect(throws: ConfigurationError.self) { try RulesConfiguration.load(yaml: text, file: "test.yaml") }
    }

    @Test("a missing required key, a YAML syntax error and an empty file are problems")
    func structure() throws {
        let missing = problems(replacing: "prum_ii: true\n", with: "")
        #expect(missing.map(\.key) == ["prum_ii"])
        let syntax = RulesConfiguration.lint(yaml: "mode: [unclosed", file: "bad.yaml")
        let problem = try #require(syntax.first)
        #expect(problem.line >= 1)
        #expect(problem.message.hasPrefix("YAML"))
        #expect(!RulesConfiguration.lint(yaml: "", file: "empty.yaml").isEmpty)
        #expect(!RulesConfiguration.lint(yaml: "- a list", file: "list.yaml").isEmpty)
    }

    @Test("a repeated key and a node defined twice are problems")
    func repeats() {
        let repeated = problems(replacing: "prum_ii: true", with: "prum_ii: true\nprum_ii: false")
        #expect(repeated.count == 1)
        #expect(repeated.first?.key == "prum_ii")
        #expect(repeated.first?.line == line(of: "prum_ii: true"))
        #expect(
            problems(replacing: "  - {id: JA-FR,", with: "  - {id: JA-BE,").map(\.key) == ["nodes[1].id"]
        )
    }

    @Test("a file that cannot be read is a problem naming it")
    func unreadable() {
        #expect(throws: ConfigurationError.self) { try RulesConfiguration.load(path: "/nonexistent/rules.yaml") }
    }
}
