import EIXMTestKit
import Foundation
import Testing

/// report.html of exercise and load runs, and `eixm report` rebuilding it from report.json.
@Suite("eixm report and report.html")
struct ReportCommandTests {
    static let documentation = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/REPORTS.md")

    /// Every key of a report that is a name (snake_case), not data (node IDs, rule IDs, percentiles with a dot):
    /// each must be snake_case and named in docs/REPORTS.md.
    static func undocumentedKeys(of file: URL) throws -> [String] {
        let document = try String(contentsOf: documentation, encoding: .utf8)
        var missing: Set<String> = []
        func walk(_ value: Any) {
            if let object = value as? [String: Any] {
                for (key, inner) in object {
                    let isName = key.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "_" }
                    let isCamel =
                        key.first?.isLowercase == true && key.contains { $0.isUppercase }
                        && key.allSatisfy { $0.isLetter || $0.isNumber }
                    if isCamel || (isName && !document.contains("`\(key)`")) { missing.insert(key) }
                    walk(inner)
                }
            } else if let list = value as? [Any] {
                list.forEach(walk)
            }
        }
        walk(try JSONSerialization.jsonObject(with: Data(contentsOf: file)))
        return missing.sorted()
    }

    /// The `data-marks` of each chart of a page, by its title.
    static func charts(in page: String) -> [String: Int] {
        var charts: [String: Int] = [:]
        for piece in page.components(separatedBy: "<svg class=\"chart\"").dropFirst() {
            let tag = piece.prefix { $0 != ">" }
            func attribute(_ name: String) -> String? {
                guard let start = tag.range(of: "\(name)=\"") else { return nil }
                return String(tag[start.upperBound...].prefix { $0 != "\"" })
            }
            charts[attribute("aria-label") ?? "?"] = Int(attribute("data-marks") ?? "") ?? 0
        }
        return charts
    }

    @Test(
        "an exercise writes report.html with its series, rejections, deadlines and traffic charts, none empty, and series.csv a row per second; eixm report rebuilds the same page from report.json",
        .timeLimit(.minutes(2))
    )
    func exercisePage() async throws {
        try await TemporaryDirectory.with { folder in
            let run = folder.appendingPathComponent("run")
            let exercise = try await CommandRunner.runProcess(["exercise", "--duration", "3s", "--out", run.path])
            #expect(exercise.status == 0, "\(exercise.output)")
            let page = try String(contentsOf: run.appendingPathComponent("report.html"), encoding: .utf8)
            let charts = Self.charts(in: page)
            for title in [
                "Messages per second at the router", "Rejections by rule, whole run", "Deadline outcomes by class",
                "Accepted messages, sender → addressee",
            ] {
                #expect((charts[title] ?? 0) > 0, "\(title): \(charts)")
            }
            #expect(!page.contains("<script"), "the report reads without JavaScript")
            #expect(!page.contains("src=") && !page.contains("href=\"http"), "nothing fetched from the network")
            // Each rejection's rule is explained by its text and legal source.
            #expect(page.contains("Dir 2023/977"))
            let series = try String(contentsOf: run.appendingPathComponent("series.csv"), encoding: .utf8)
                .split(separator: "\n")
            #expect(series.first?.hasPrefix("second,wall_clock,simulated_time,received,accepted,rejected") == true)
            // Three seconds of traffic and the drain: a row a second, each with a wall-clock time. At least two: on a
            // busy machine the third second's row can fall after the run's end (seen twice in ten full-suite runs).
            #expect(series.count >= 3, "\(series)")
            #expect(series.dropFirst().allSatisfy { $0.split(separator: ",")[1].hasPrefix("20") })

            #expect(try Self.undocumentedKeys(of: run.appendingPathComponent("report.json")) == [])

            let rebuilt = folder.appendingPathComponent("again.html")
            let report = try await CommandRunner.runProcess(["report", run.path, "--out", rebuilt.path])
            #expect(report.status == 0, "\(report.output)")
            #expect(try String(contentsOf: rebuilt, encoding: .utf8) == page)
        }
    }

    @Test("a load run writes report.html with throughput, latency and rejections charts, none empty")
    func loadPage() async throws {
        try await TemporaryDirectory.with { folder in
            let run = folder.appendingPathComponent("run")
            let load = try await CommandRunner.runProcess([
                "load", "--rate", "200", "--duration", "2s", "--warmup", "0s", "--out", run.path,
            ])
            #expect(load.status == 0, "\(load.output)")
            let page = try String(contentsOf: run.appendingPathComponent("report.html"), encoding: .utf8)
            let charts = Self.charts(in: page)
            for title in ["Messages per second", "Latency per second (ms)", "Rejections by rule, measured window"] {
                #expect((charts[title] ?? 0) > 0, "\(title): \(charts)")
            }
            #expect(page.contains("no thresholds set"))
            #expect(try Self.undocumentedKeys(of: run.appendingPathComponent("report.json")) == [])
            #expect(page.contains("No fault was played."))
        }
    }

    @Test("eixm report on a folder without a report, or with another JSON, says which file and why")
    func badFolder() async throws {
        try await TemporaryDirectory.with { folder in
            let missing = try await CommandRunner.runProcess(["report", folder.path])
            #expect(missing.status == 1)
            #expect(missing.output.contains("report.json: no such file"), "\(missing.output)")
            try Data(#"{"name": "x"}"#.utf8).write(to: folder.appendingPathComponent("report.json"))
            let other = try await CommandRunner.runProcess(["report", folder.path])
            #expect(other.status == 1)
            #expect(
                other.output.contains("neither an exercise's report (field seed is missing)"),
                "\(other.output)"
            )
            #expect(!other.output.contains("DecodingError"))
        }
    }
}
