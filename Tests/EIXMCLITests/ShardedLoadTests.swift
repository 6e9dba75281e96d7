import EIXMExercise
import EIXMTestKit
import Foundation
import Testing

/// Two `eixm load --shard K/2` processes against one `eixm router` process, merged by `eixm load merge`: a message
/// sent by one process and delivered to the other's nodes counts as delivered, by the processes' own records.
@Suite("Load from several processes", .timeLimit(.minutes(3)))
struct ShardedLoadTests {
    static let exercise = """
        name: sharded
        seed: 5
        time_scale: 3600
        duration: 60s
        start: 2026-11-29T08:00:00Z
        nodes: [SPOC-BE, SPOC-FR, SPOC-DE, SPOC-NL, EUROPOL, FRONTEX]
        """

    @Test(
        "two load processes share the nodes and the rate; merged, nothing is lost, and a merge without one process's deliveries finds the loss"
    )
    func twoShardsMerged() async throws {
        try await TemporaryDirectory.with { folder in
            let pki = folder.appendingPathComponent("pki")
            let config = folder.appendingPathComponent("exercise.yaml")
            try Self.exercise.write(to: config, atomically: true, encoding: .utf8)
            let nodes = ["SPOC-BE", "SPOC-FR", "SPOC-DE", "SPOC-NL", "EUROPOL", "FRONTEX"].flatMap { ["--node", $0] }
            #expect(try await CommandRunner.runProcess(["pki", "init", "--out", pki.path] + nodes).status == 0)
            let router = try await RouterCrashTests.RouterProcess.start(
                pki: pki,
                folder: folder.appendingPathComponent("router")
            )
            let common = [
                "load", "--router", "127.0.0.1:\(router.port)", "--pki", pki.path, "--config", config.path,
                "--rate", "200", "--duration", "3s", "--warmup", "0s", "--drain", "20s", "--max-lost", "0",
            ]
            let root = folder
            let results = try await withThrowingTaskGroup(of: (Int, (status: Int32, output: String)).self) { group in
                for index in 1...2 {
                    let arguments =
                        common + ["--shard", "\(index)/2", "--out", root.appendingPathComponent("load-\(index)").path]
                    group.addTask { (index, try await CommandRunner.runProcess(arguments)) }
                }
                var results: [Int: (status: Int32, output: String)] = [:]
                for try await (index, result) in group { results[index] = result }
                return [1, 2].compactMap { results[$0] }
            }
            _ = try await router.stop(SIGTERM)
            for result in results { #expect(result.status == 0, "\(result.output)") }
            let folders = [1, 2].map { folder.appendingPathComponent("load-\($0)").path }
            let reports = try folders.map {
                try LoadReport.fromReportJSON(
                    Data(contentsOf: URL(fileURLWithPath: $0).appendingPathComponent("report.json"))
                )
            }
            // Each ran half the nodes and offered its share; each received the other's messages.
            #expect(reports.map(\.nodes.configured) == [3, 3])
            #expect(abs(reports.map(\.offeredPerSecond).reduce(0, +) - 200) < 1)
            for report in reports {
                let data = try #require(report.shardData)
                #expect(!data.received.isEmpty, "shard \(data.shard) received messages sent by the other")
            }
            let merged = try await CommandRunner.runProcess(
                ["load", "merge"] + folders + ["--out", folder.appendingPathComponent("merged").path]
            )
            #expect(merged.status == 0, "\(merged.output)")
            #expect(merged.output.contains("(2 load processes, merged)"))
            #expect(
                merged.output.contains("accepted but not delivered to every addressee (lost): 0;"),
                "\(merged.output)"
            )
            let total = try LoadReport.fromReportJSON(
                Data(contentsOf: folder.appendingPathComponent("merged/report.json"))
            )
            #expect(total.measured.sent == reports.map(\.measured.sent).reduce(0, +))
            #expect(total.deliveriesReceived == reports.map(\.deliveriesReceived).reduce(0, +))
            #expect(total.nodes.configured == 6)
            // Without shard 2's record of what its nodes received, shard 1's messages to them are lost.
            var blind = reports[1]
            blind.shardData?.received = [:]
            let blindFolder = folder.appendingPathComponent("blind")
            try FileManager.default.createDirectory(at: blindFolder, withIntermediateDirectories: true)
            try blind.json().write(to: blindFolder.appendingPathComponent("report.json"))
            let lossy = try await CommandRunner.runProcess([
                "load", "merge", folders[0], blindFolder.path, "--out", folder.appendingPathComponent("lossy").path,
            ])
            #expect(lossy.status == 1, "\(lossy.output)")
            #expect(!lossy.output.contains("(lost): 0;"), "\(lossy.output)")
            // A merge needs every shard once.
            let half = try await CommandRunner.runProcess([
                "load", "merge", folders[0], "--out", folder.appendingPathComponent("half").path,
            ])
            #expect(half.status != 0)
            #expect(half.output.contains("2/2 is missing"), "\(half.output)")
        }
    }
}
