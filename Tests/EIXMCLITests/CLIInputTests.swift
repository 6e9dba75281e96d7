import EIXMExercise
import EIXMModel
import EIXMRules
import EIXMTestKit
import Foundation
import Testing

/// What a careless user types or feeds the CLI: each case gets a plain sentence (no Swift type names, no Foundation
/// error wording, never more than a short slice of the bad input), and the rest of the input is still used.
@Suite("CLI input", .timeLimit(.minutes(2)))
struct CLIInputTests {
    static let swiftWords = [
        "DecodingError", "Dictionary<", "Expected to decode", "NSCocoaErrorDomain", "Error Domain",
        "SocketAddressError", "NIOConnectionError", "SingleConnectionFailure",
    ]

    static func plain(_ text: String) -> Bool { !swiftWords.contains { text.contains($0) } }

    static func lines(_ text: String) -> [String] { text.split(separator: "\n").map(String.init) }

    @Test(
        "rules check: CRLF lines, a line that is not UTF-8, a blank line, an unknown node, JSON of the wrong shape and a 300-KB value: every line gets its own plain output line and the others are judged"
    )
    func rulesCheckLines() async throws {
        try await TemporaryDirectory.with { folder in
            let good = SampleMessages.request().jsonText()
            var toNobody = SampleMessages.request(2)
            toNobody.to = [NodeID("SPOC-ZZ")!]
            var huge = SampleMessages.request(3).jsonText()
            huge = huge.replacingOccurrences(
                of: #""language":"EN""#,
                with: "\"language\":\"\(String(repeating: "x", count: 300_000))\""
            )
            #expect(huge.utf8.count > 300_000)
            var bytes: [UInt8] = []
            for line in [good, "", toNobody.jsonText(), "[1,2]", #"{"id": 5}"#, huge] {
                bytes += Array(line.utf8) + [13, 10]
            }
            bytes += Array(#"{"id": "bad \#u{FF}"}"#.utf8.prefix(9)) + [0xFF, 0xFE] + [10]
            bytes += Array(SampleMessages.request(4).jsonText().utf8)
            let file = folder.appendingPathComponent("headers.jsonl")
            try Data(bytes).write(to: file)
            let result = try await CommandRunner.runProcess(["rules", "check", file.path])
            let out = Self.lines(result.output)
            #expect(result.status == 2, "unreadable lines give exit 2")
            #expect(out.count == 8, "\(out.map { $0.prefix(120) })")
            guard out.count == 8 else { return }
            #expect(out[0].contains(#""line":1"#) && out[0].contains(#""verdict":"#), "CRLF is a line end")
            #expect(out[1].contains(#""skipped":"blank line""#))
            #expect(
                out[2].contains(#""verdict":"reject""#) && out[2].contains("UNKNOWN_NODE"),
                "an unknown node is a decision"
            )
            #expect(out[3].contains(#""field":"header""#) && out[3].contains("one JSON object per line"))
            #expect(out[4].contains(#""field":"id""#) && out[4].contains("expected text"))
            #expect(out[5].contains(#""field":"language""#) && out[5].contains("(300000 bytes)"))
            #expect(out[5].utf8.count < 1_000, "the error quotes a slice, not the 300-KB value")
            #expect(out[6].contains(#""line":7"#) && out[6].contains("not UTF-8"))
            #expect(
                out[7].contains(#""line":8"#) && out[7].contains(#""verdict":"#),
                "the line after a bad one is judged"
            )
            #expect(Self.plain(result.output))
        }
    }

    @Test("a folder, a device and a missing file each get their own sentence, in every command that reads a file")
    func unreadableFiles() async throws {
        try await TemporaryDirectory.with { folder in
            let cases: [(path: String, says: String)] = [
                (folder.path, "is a folder, not a file"), ("/dev/null", "is a device"),
                (folder.appendingPathComponent("absent").path, "there is no such file"),
            ]
            for (path, says) in cases {
                for arguments in [
                    ["rules", "check", path], ["rules", "lint", path], ["message", "show", path],
                    ["exercise", "--config", path],
                ] {
                    let result = try await CommandRunner.runProcess(arguments)
                    #expect(result.status != 0, "\(arguments)")
                    #expect(
                        result.output.contains(path) && result.output.contains(says),
                        "\(arguments): \(result.output)"
                    )
                    #expect(Self.plain(result.output), "\(arguments): \(result.output)")
                }
            }
        }
    }

    @Test("rules lint reports a bad mode also when required keys are missing")
    func lintKeepsGoing() throws {
        let text = RulesConfiguration.defaultYAML
            .replacingOccurrences(of: "prum_ii:", with: "prum_two:")
            .replacingOccurrences(of: "mode: DIR_2023_977_FULL", with: "mode: SOMETHING")
        let problems = RulesConfiguration.lint(yaml: text, file: "rules.yaml")
        #expect(problems.contains { $0.key == "prum_ii" && $0.message.contains("missing") })
        #expect(problems.contains { $0.key == "mode" && $0.message.contains("SOMETHING") })
    }

    @Test("numbers and durations on the command line: a negative rate is told its range, 1.5s and 1m30s are durations")
    func options() async throws {
        for (arguments, says) in [
            (["load", "--rate", "-5"], "--rate must be > 0"), (["load", "--max-lost", "-1"], "--max-lost must be ≥ 0"),
            (["load", "--duration", "1m30x"], "such as 8h, 1m30s, 1.5s or 250ms"),
            (["load", "--batch-max", "0"], "--batch-max must be between 1 and 4096"),
            (["load", "--duration", "2s"], "--warmup (2s) must be shorter than --duration (2s)"),
            (["load", "--duration", "3s", "--warmup", "5s"], "--warmup (5s) must be shorter than --duration (3s)"),
            (["load", "--receipt-delay", "soon"], "--receipt-delay 'soon' is not a duration"),
            (["load", "--receipt-delay", "1m"], "--receipt-delay must be at most 10s"),
            (["load", "--signatures", "sometimes"], "per_message"),
            (["load", "--nodes", "-1"], "--nodes must be between 0 and 100000"),
            (
                ["load", "--nodes", "5", "--router", "127.0.0.1:1", "--pki", "x"],
                "--nodes adds authorities the router must know"
            ),
        ] {
            let result = try await CommandRunner.runProcess(arguments)
            #expect(result.status != 0)
            #expect(result.output.contains(says), "\(arguments): \(result.output)")
            #expect(!result.output.contains("Missing value"))
        }
        #expect(DurationText.milliseconds("1.5s") == 1_500)
        #expect(DurationText.milliseconds("1m30s") == 90_000)
        #expect(DurationText.milliseconds("2h30m15s") == 9_015_000)
        #expect(DurationText.milliseconds("250ms") == 250)
        #expect(DurationText.milliseconds("0.25h") == 900_000)
        for bad in ["", "1.5", "s", "1m1h", "1.5m30s", "1..5s", "1s1s", "-1s", "1 s", "99999999999999999999d"] {
            #expect(DurationText.milliseconds(bad) == nil, "'\(bad)'")
        }
    }

    @Test("message new refuses an addressee no directory knows")
    func unknownAddressee() async throws {
        try await TemporaryDirectory.with { folder in
            let pki = folder.appendingPathComponent("pki").path
            #expect(try await CommandRunner.runProcess(["pki", "init", "--out", pki]).status == 0)
            let result = try await CommandRunner.runProcess([
                "message", "new", "--pki", pki, "--from", "SPOC-BE", "--to", "SPOC-ZZ", "--body", "x", "--out",
                folder.appendingPathComponent("m.eixm").path,
            ])
            #expect(result.status != 0)
            #expect(result.output.contains("SPOC-ZZ (to): not a node the rules know"), "\(result.output)")
            #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("m.eixm").path))
        }
    }

    @Test(
        "a node that cannot reach its router says so at every attempt, with the reason in words and the next attempt's delay"
    )
    func unreachableRouter() async throws {
        try await TemporaryDirectory.with { folder in
            let pki = folder.appendingPathComponent("pki").path
            #expect(try await CommandRunner.runProcess(["pki", "init", "--out", pki]).status == 0)
            // Nothing listens on port 1; the node keeps trying until `timeout` stops it.
            let result = try await ChildProcess.run(
                "/usr/bin/timeout",
                [
                    "6", CommandRunner.executable.path, "node", "--id", "SPOC-BE", "--router", "127.0.0.1:1", "--pki",
                    pki,
                ]
            )
            let attempts = Self.lines(result.output).filter { $0.contains("cannot connect to the router") }
            #expect(attempts.count >= 2, "\(result.output)")
            #expect(
                attempts.allSatisfy {
                    $0.contains("cannot connect to 127.0.0.1:1: connection refused") && $0.contains("next attempt in=")
                }
            )
            #expect(Self.plain(result.output), "\(result.output)")
        }
    }

    @Test("eixm exercise exits 1, and says why, when accepted messages did not reach an addressee by the end")
    func exerciseFailsOnUndelivered() async throws {
        try await TemporaryDirectory.with { folder in
            // France is offline from the first simulated hour to past the end: what is sent to it waits at the router.
            let config = folder.appendingPathComponent("exercise.yaml")
            try """
            name: undelivered
            seed: 3
            time_scale: 3600
            duration: 3s
            drain: 1s
            start: 2026-11-29T08:00:00Z
            nodes: [SPOC-BE, SPOC-FR]
            behaviour: {requests_per_hour: 20, rule_breaking_share: 0}
            overrides:
              SPOC-FR: {offline: [{from: 1h, to: 100h}]}
            """.write(to: config, atomically: true, encoding: .utf8)
            let result = try await CommandRunner.runProcess([
                "exercise", "--config", config.path, "--out", folder.appendingPathComponent("run").path,
            ])
            #expect(result.status == 1, "\(result.output.suffix(600))")
            #expect(
                result.output.contains("eixm exercise: FAILED:")
                    && result.output.contains("were not acted on by the end of the drain")
            )
            #expect(
                FileManager.default.fileExists(atPath: folder.appendingPathComponent("run/report.json").path),
                "the report is written first"
            )
        }
    }

    @Test("eixm router raises its open-file limit and says so when it stays below the connections it may hold")
    func openFileLimit() async throws {
        try await TemporaryDirectory.with { folder in
            let pki = folder.appendingPathComponent("pki").path
            #expect(try await CommandRunner.runProcess(["pki", "init", "--out", pki]).status == 0)
            let router =
                "\(CommandRunner.executable.path) router --pki \(pki) --listen 127.0.0.1:0 --out \(folder.appendingPathComponent("router").path)"
            let low = try await ChildProcess.run(
                "/bin/bash",
                ["-c", "ulimit -n 300; exec /usr/bin/timeout 3 \(router)"]
            )
            #expect(
                low.output.contains("the open-file limit is 300 (hard limit 300), below the 16384 connection(s)"),
                "\(low.output)"
            )
        }
    }

    @Test(
        "--version names the build; --print-config writes the built-in exercise file (or a scenario's) that then runs as given; shell completion offers the built-in scenarios"
    )
    func startingPoints() async throws {
        let version = try await CommandRunner.runProcess(["--version"])
        #expect(version.status == 0)
        #expect(version.output.hasPrefix("eixm "), "\(version.output)")
        #expect(version.output.split(separator: " ").last.map { $0.split(separator: ".").count == 3 } == true)

        try await TemporaryDirectory.with { folder in
            let printed = try await CommandRunner.runProcess(["exercise", "--print-config"])
            #expect(printed.status == 0)
            #expect(printed.output.contains("name: default"), "\(printed.output.prefix(200))")
            let file = folder.appendingPathComponent("mine.yaml")
            try printed.output.write(to: file, atomically: true, encoding: .utf8)
            #expect(try ExerciseConfiguration.load(path: file.path).nodes == ExerciseConfiguration.builtIn().nodes)
            let scenario = try await CommandRunner.runProcess(["exercise", "--print-config", "--scenario", "indalo"])
            #expect(scenario.status == 0)
            #expect(scenario.output.contains("INDALO"), "\(scenario.output.prefix(200))")
            // Nothing ran: no run folder was written.
            #expect(!printed.output.contains("Wrote "))
            let missing = try await CommandRunner.runProcess([
                "exercise", "--print-config", "--config", folder.appendingPathComponent("none.yaml").path,
            ])
            #expect(missing.status != 0)
            #expect(missing.output.contains("none.yaml"), "\(missing.output)")
            #expect(Self.plain(missing.output))
        }
        let completion = try await CommandRunner.runProcess(["--generate-completion-script", "bash"])
        #expect(completion.status == 0)
        #expect(completion.output.contains("tokyo-outages"), "the bash completion does not offer the scenarios")
    }

    @Test(
        "a load with more nodes in this process than the open-file limit allows is refused before it starts, with the limit, what it needs and what to do; nothing is written"
    )
    func loadBeyondOpenFileLimit() async throws {
        try await TemporaryDirectory.with { folder in
            let run = folder.appendingPathComponent("run")
            let refused = try await ChildProcess.run(
                "/bin/sh",
                [
                    "-c",
                    "ulimit -n 512 && exec \"$0\" load --nodes 600 --duration 1s --warmup 0s --out \"$1\"",
                    CommandRunner.executable.path, run.path,
                ]
            )
            #expect(refused.status == 1, "\(refused.output)")
            #expect(refused.output.contains("the open-file limit is 512"), "\(refused.output)")
            #expect(refused.output.contains("1268 connection(s)"), "\(refused.output)")
            #expect(refused.output.contains("--shard K/M"), "\(refused.output)")
            #expect(Self.plain(refused.output))
            #expect(!FileManager.default.fileExists(atPath: run.path))
        }
    }
}
