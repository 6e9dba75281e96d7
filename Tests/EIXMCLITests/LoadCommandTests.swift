import EIXMTestKit
import Foundation
import Testing

@Suite("eixm load")
struct LoadCommandTests {
    @Test("eixm load writes report.json and series.csv and exits 1 when a threshold fails")
    func failingThreshold() async throws {
        try await TemporaryDirectory.with { folder in
            let run = folder.appendingPathComponent("run")
            let histogram = folder.appendingPathComponent("answers.hgrm")
            let load = try await CommandRunner.runProcess([
                "load", "--rate", "100", "--duration", "1s", "--warmup", "0s", "--max-p99", "0", "--out", run.path,
                "--histogram", histogram.path,
            ])
            #expect(load.status == 1, "\(load.output)")
            #expect(load.output.contains("Threshold answer p99"))
            #expect(load.output.contains("FAILED"))
            #expect(FileManager.default.fileExists(atPath: run.appendingPathComponent("report.json").path))
            // The full distribution, HdrHistogram's percentile text: one line per answer count step, and the total
            // it reaches is every measured message answered.
            let distribution = try String(contentsOf: histogram, encoding: .utf8)
            #expect(
                distribution.hasPrefix("       Value     Percentile TotalCount 1/(1-Percentile)"),
                "\(distribution.prefix(80))"
            )
            let report =
                try JSONSerialization.jsonObject(with: Data(contentsOf: run.appendingPathComponent("report.json")))
                as? [String: Any]
            let measured = try #require(report?["measured"] as? [String: Any])
            let answered = (measured["accepted"] as? Int ?? 0) + (measured["rejected"] as? Int ?? 0)
            #expect(answered > 0)
            #expect(
                distribution.contains(
                    "Total count    = \(String(repeating: " ", count: max(0, 12 - "\(answered)".count)))\(answered)]"
                ),
                "\(distribution.suffix(200))"
            )
            let series = try String(contentsOf: run.appendingPathComponent("series.csv"), encoding: .utf8)
            #expect(series.hasPrefix("second,wall_clock,sent,accepted,rejected,delivered"))
            let verified = try await CommandRunner.runProcess([
                "audit", "verify", run.appendingPathComponent("audit").path,
            ])
            #expect(verified.status == 0, "\(verified.output)")
        }
    }

    @Test(
        "bad options are usage errors",
        arguments: [
            ["load", "--rate", "0"],
            ["load", "--duration", "soon"],
            ["load", "--router", "127.0.0.1:1"],
            ["load", "--min-throughput", "2"],
        ]
    )
    func badOptions(arguments: [String]) async throws {
        let result = try await CommandRunner.runProcess(arguments)
        #expect(result.status == 64, "\(result.output)")
    }
}
