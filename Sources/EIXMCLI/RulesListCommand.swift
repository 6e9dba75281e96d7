import ArgumentParser
import EIXMRules
import Foundation

/// `eixm rules list`: every rule with its ID, text, source and confidence.
struct RulesListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List every rule: ID, one-line text, legal source and confidence tag (V, R, U, SIM)."
    )

    @Option(name: .long, help: "text or json.")
    var format: OutputFormat = .text

    func run() async throws {
        switch format {
        case .text:
            for rule in RuleID.allCases {
                let core = RuleID.beyondCore.contains(rule) ? "+" : " "
                print(
                    "\(rule.rawValue.padding(toLength: 6, withPad: " ", startingAt: 0)) [\(rule.confidence.rawValue)]\(core) \(rule.summary)"
                )
                print("         \(rule.source)")
            }
            let core = RuleID.allCases.count - RuleID.beyondCore.count - 7
            print(
                "\(RuleID.allCases.count) rule IDs: the \(core) core rules of EIXM-RULES.md §6 (RF-a to RF-h are one rule with eight grounds) and \(RuleID.beyondCore.count) more, marked +."
            )
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            for rule in RuleID.allCases {
                let entry = [
                    "id": rule.rawValue, "text": rule.summary, "source": rule.source,
                    "confidence": rule.confidence.rawValue,
                    "core": RuleID.beyondCore.contains(rule) ? "false" : "true",
                ]
                print(String(decoding: try encoder.encode(entry), as: UTF8.self))
            }
        }
    }
}
