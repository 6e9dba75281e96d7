import EIXMAudit
import EIXMTestKit
import Foundation
import Testing

@Suite("eixm audit")
struct AuditCommandTests {
    @Test("an exercise's audit log verifies; a flipped byte in a middle record fails, naming that record")
    func exerciseLog() async throws {
        try await TemporaryDirectory.with { folder in
            let run = folder.appendingPathComponent("run")
            let pki = folder.appendingPathComponent("pki")
            #expect(try await CommandRunner.runProcess(["pki", "init", "--out", pki.path]).status == 0)
            let exercise = try await CommandRunner.runProcess([
                "exercise", "--duration", "3s", "--out", run.path, "--pki", pki.path,
            ])
            #expect(exercise.status == 0, "\(exercise.output)")
            let audit = run.appendingPathComponent("audit")
            let verified = try await CommandRunner.runProcess(["audit", "verify", audit.path, "--pki", pki.path])
            #expect(verified.status == 0, "\(verified.output)")
            #expect(verified.output.contains("OK"))

            let stats = try await CommandRunner.runProcess(["audit", "stats", audit.path])
            #expect(stats.status == 0)
            #expect(stats.output.contains("Received by channel:"))
            let rejected = try await CommandRunner.runProcess([
                "audit", "query", audit.path, "--event", "rejected", "--format", "csv",
            ])
            #expect(rejected.status == 0)
            #expect(
                rejected.output.hasPrefix(
                    "seq,simulated_time,event,message_id,case_id,sender,recipients,channel,msg_type,rules,reasons\n"
                )
            )
            let table = try await CommandRunner.runProcess(["audit", "query", run.path, "--event", "rejected"])
            let header = try #require(table.output.split(separator: "\n").first)
            #expect(
                header.split(separator: " ").count == 12 && header.contains("  case  ") && header.hasSuffix("reasons"),
                "\(header)"
            )
            let nothing = try await CommandRunner.runProcess(["audit", "query", run.path, "--channel", "siena"])
            #expect(nothing.status == 0)
            #expect(nothing.output.contains("0 record(s)"))
            #expect(
                nothing.output.contains("hint: no record has channel 'siena': did you mean 'SIENA'?"),
                "\(nothing.output)"
            )
            let hours = try await CommandRunner.runProcess(["audit", "stats", run.path])
            let hourLines = hours.output.split(separator: "\n").filter { $0.hasPrefix("    2026-") }
            #expect(!hourLines.isEmpty)
            #expect(hourLines == hourLines.sorted(), "hours in time order")

            let segment = audit.appendingPathComponent("audit-000001.jsonl")
            var lines = try String(contentsOf: segment, encoding: .utf8).split(separator: "\n").map(String.init)
            let middle = lines.count / 2
            lines[middle] = lines[middle].replacingOccurrences(of: "\"event\":\"", with: "\"event\":\"x")
            try (lines.joined(separator: "\n") + "\n").write(to: segment, atomically: true, encoding: .utf8)
            let tampered = try await CommandRunner.runProcess(["audit", "verify", audit.path])
            #expect(tampered.status == 1)
            #expect(tampered.output.contains("audit-000001.jsonl line \(middle + 1)"), "\(tampered.output)")
            // Recovery refuses damage in the middle and changes nothing.
            let before = try Data(contentsOf: segment)
            let refused = try await CommandRunner.runProcess(["audit", "recover", run.path, "--pki", pki.path])
            #expect(refused.status == 1)
            #expect(refused.output.contains("refusing to recover"), "\(refused.output)")
            #expect(refused.output.contains("line \(middle + 1)"), "\(refused.output)")
            #expect(try Data(contentsOf: segment) == before)
        }
    }

    @Test(
        "a default run keeps the router's certificates and tree head: its log verifies against them, and fails once cut short"
    )
    func runFolderWitness() async throws {
        try await TemporaryDirectory.with { folder in
            let run = folder.appendingPathComponent("run")
            let exercise = try await CommandRunner.runProcess(["exercise", "--duration", "2s", "--out", run.path])
            #expect(exercise.status == 0, "\(exercise.output)")
            let files = try FileManager.default.contentsOfDirectory(
                atPath: run.appendingPathComponent("certificates").path
            )
            // Every certificate of the run (the recipients' check their receipts), never a private key.
            #expect(files.contains("ca.pem") && files.contains("EIXM-ROUTER.pem") && files.contains("SPOC-FR.pem"))
            #expect(files.allSatisfy { $0.hasSuffix(".pem") }, "no private key is kept: \(files)")
            let report =
                try JSONSerialization.jsonObject(with: Data(contentsOf: run.appendingPathComponent("report.json")))
                as? [String: Any]
            let head = try #require(report?["audit_tree_head"] as? [String: Any])
            #expect(head["final"] as? Bool == true)

            let verified = try await CommandRunner.runProcess(["audit", "verify", run.path])
            #expect(verified.status == 0, "\(verified.output)")
            #expect(verified.output.contains("router key: certified in"), "\(verified.output)")
            #expect(verified.output.contains("checked against: the tree head in"), "\(verified.output)")
            let clean = try await CommandRunner.runProcess([
                "audit", "recover", run.path, "--pki", run.appendingPathComponent("certificates").path,
            ])
            #expect(clean.status == 0, "\(clean.output)")
            #expect(clean.output.contains("nothing to recover"), "\(clean.output)")

            // The export opens with sqlite3, and README's example questions answer as the log does.
            let database = folder.appendingPathComponent("audit.sqlite")
            let exported = try await CommandRunner.runProcess(["audit", "export", run.path, "--sqlite", database.path])
            #expect(exported.status == 0, "\(exported.output)")
            let log = try AuditReader.read(directory: run.appendingPathComponent("audit")).records
            let rejections = try await ChildProcess.run(
                "/usr/bin/sqlite3",
                [database.path, "SELECT COUNT(*) FROM records WHERE event = 'rejected';"]
            )
            #expect(
                rejections.output.trimmingCharacters(in: .whitespacesAndNewlines)
                    == "\(log.filter { $0.event == "rejected" }.count)"
            )
            let rules = try await ChildProcess.run(
                "/usr/bin/sqlite3",
                [database.path, "SELECT source FROM rules WHERE id = 'CH-01';"]
            )
            #expect(rules.output.contains("2023/977"), "\(rules.output)")
            // With an index, query answers as it did without one.
            let streamed = try await CommandRunner.runProcess([
                "audit", "query", run.path, "--event", "delivered", "--format", "csv",
            ])
            let indexed = try await CommandRunner.runProcess(["audit", "index", run.path])
            #expect(indexed.status == 0, "\(indexed.output)")
            let fromIndex = try await CommandRunner.runProcess([
                "audit", "query", run.path, "--event", "delivered", "--format", "csv",
            ])
            #expect(fromIndex.output == streamed.output)
            #expect(fromIndex.output.split(separator: "\n").count == 1 + log.filter { $0.event == "delivered" }.count)

            // A message's records proven, and the proof checked without the log (the receipts of its recipients
            // included, with their certificates); changed, it fails.
            let records = try AuditReader.read(directory: run.appendingPathComponent("audit")).records
            let message = try #require(records.first { $0.event == "acknowledged" }?.messageID)
            let recipients = records.filter { $0.messageID == message && $0.event == "acknowledged" }.compactMap(\.node)
            let proofFile = folder.appendingPathComponent("proof.json")
            let proved = try await CommandRunner.runProcess([
                "audit", "prove", run.path, "--message", message, "--out", proofFile.path,
            ])
            #expect(proved.status == 0, "\(proved.output)")
            let certificates = run.appendingPathComponent("certificates").path
            let checked = try await CommandRunner.runProcess(["audit", "check", proofFile.path, "--pki", certificates])
            #expect(checked.status == 0, "\(checked.output)")
            #expect(
                checked.output.contains(
                    "OK: \(records.filter { $0.messageID == message }.count) record(s) of message \(message)"
                ),
                "\(checked.output)"
            )
            #expect(
                checked.output.contains(
                    "receipts signed by \(recipients.joined(separator: ", ")) with their certified keys"
                ),
                "\(checked.output)"
            )
            let proofText = try String(contentsOf: proofFile, encoding: .utf8)
            try proofText.replacingOccurrences(of: "delivered", with: "nacked").write(
                to: proofFile,
                atomically: true,
                encoding: .utf8
            )
            let forged = try await CommandRunner.runProcess(["audit", "check", proofFile.path, "--pki", certificates])
            #expect(forged.status == 1, "\(forged.output)")
            #expect(forged.output.contains("FAILED"), "\(forged.output)")

            let segment = run.appendingPathComponent("audit/audit-000001.jsonl")
            let lines = try String(contentsOf: segment, encoding: .utf8).split(separator: "\n")
            try (lines.prefix(lines.count / 2).joined(separator: "\n") + "\n").write(
                to: segment,
                atomically: true,
                encoding: .utf8
            )
            let cut = try await CommandRunner.runProcess(["audit", "verify", run.path])
            #expect(cut.status == 1)
            #expect(cut.output.contains("cut short: the log ends at record \(lines.count / 2 - 1)"), "\(cut.output)")
            let againstReport = try await CommandRunner.runProcess(
                [
                    "audit", "verify", run.appendingPathComponent("audit").path, "--tree-head",
                    run.appendingPathComponent("report.json").path,
                ]
            )
            #expect(againstReport.status == 1)
            #expect(againstReport.output.contains("cut short"), "\(againstReport.output)")
            let empty = try await CommandRunner.runProcess(["audit", "verify", folder.path])
            #expect(empty.status == 1)
            #expect(empty.output.contains("holds no audit log"), "\(empty.output)")
        }
    }

    @Test(
        "bad input to verify, prove, check and query gets one plain sentence naming what is wrong, and exit 1 or more"
    )
    func badInput() async throws {
        try await TemporaryDirectory.with { folder in
            let run = folder.appendingPathComponent("run")
            #expect(
                try await CommandRunner.runProcess(["exercise", "--duration", "1s", "--out", run.path]).status == 0
            )
            let garbage = folder.appendingPathComponent("garbage.json")
            try Data("{\"kind\":\"inclusion\"}".utf8).write(to: garbage)
            let certificates = run.appendingPathComponent("certificates").path
            let cases: [(arguments: [String], says: String)] = [
                (["audit", "verify", run.path, "--size", "3"], "--size and --root go together"),
                (
                    ["audit", "verify", run.path, "--size", "3", "--root", "xyz"],
                    "--root: expected 64 hexadecimal digits"
                ),
                (["audit", "verify", run.path, "--tree-head", garbage.path], "not a tree head"),
                (["audit", "check", garbage.path, "--pki", certificates], "field tree_head is missing"),
                (
                    ["audit", "check", folder.appendingPathComponent("none.json").path, "--pki", certificates],
                    "cannot read"
                ),
                (["audit", "prove", run.path, "--message", "not-a-uuid"], "is not a message ID"),
                (["audit", "prove", run.path, "--message", UUID().uuidString], "no record of message"),
                (["audit", "prove", run.path, "--consistency", "0"], "the old size must be between 1 and"),
                (["audit", "query", run.path, "--limit=-1"], "--limit: expected a count of records"),
            ]
            for (arguments, says) in cases {
                let result = try await CommandRunner.runProcess(arguments)
                #expect(result.status != 0, "\(arguments)")
                #expect(result.output.contains(says), "\(arguments): \(result.output)")
                #expect(!result.output.contains("Swift."), "\(arguments): \(result.output)")
            }
            // Nothing the bad calls touched changed: the log still verifies.
            #expect(try await CommandRunner.runProcess(["audit", "verify", run.path]).status == 0)
        }
    }

    @Test("a writer killed with SIGKILL mid-run leaves a log that recovers and verifies")
    func crash() async throws {
        try await TemporaryDirectory.with { folder in
            let run = folder.appendingPathComponent("run")
            let pki = folder.appendingPathComponent("pki")
            #expect(try await CommandRunner.runProcess(["pki", "init", "--out", pki.path]).status == 0)
            let executable = CommandRunner.executable
            let killed = try await ChildProcess.offPool { () -> Bool in
                let process = Process()
                process.executableURL = executable
                process.arguments = ["exercise", "--duration", "60s", "--out", run.path, "--pki", pki.path]
                let errors = Pipe()
                process.standardError = errors
                process.standardOutput = FileHandle.nullDevice
                try process.run()
                // The exercise prints a progress line every second: the third means records are being written.
                _ = try PipeReader(errors).read { $0.components(separatedBy: "\n[").count >= 4 }
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                return process.terminationReason == .uncaughtSignal
            }
            #expect(killed)
            let audit = run.appendingPathComponent("audit")
            let recovered = try await CommandRunner.runProcess(["audit", "recover", audit.path, "--pki", pki.path])
            #expect(recovered.status == 0, "\(recovered.output)")
            let verified = try await CommandRunner.runProcess(["audit", "verify", audit.path, "--pki", pki.path])
            #expect(verified.status == 0, "\(verified.output)")
            let (records, unreadable) = try AuditReader.read(directory: audit)
            #expect(unreadable.isEmpty)
            #expect(records.contains { $0.isArrival })
        }
    }
}
