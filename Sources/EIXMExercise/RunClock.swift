import EIXMModel
import Foundation

/// The simulated clock of a run kept in a folder: `clock.json` records when (wall-clock time) the run's simulated
/// time began, so that a router restarted on the folder goes on with the same time, its downtime included.
enum RunClock {
    struct Record: Codable {
        var realStart: String
        var simulatedStart: String
        var timeScale: Double

        enum CodingKeys: String, CodingKey {
            case realStart = "real_start"
            case simulatedStart = "simulated_start"
            case timeScale = "time_scale"
        }
    }

    /// The run's clock: continued from `clock.json` when it names the same start and scale, else begun now (and
    /// recorded).
    static func load(from folder: URL, start: Timestamp, scale: Double) throws -> ScaledClock {
        let file = folder.appendingPathComponent("clock.json")
        if let data = try? Data(contentsOf: file), let record = try? JSONDecoder().decode(Record.self, from: data),
            record.simulatedStart == start.rfc3339, record.timeScale == scale,
            let began = Timestamp(rfc3339: record.realStart)
        {
            return ScaledClock(
                start: start,
                scale: scale,
                since: Date(timeIntervalSince1970: Double(began.millisecondsSinceEpoch) / 1000)
            )
        }
        let record = Record(realStart: Timestamp(Date()).rfc3339, simulatedStart: start.rfc3339, timeScale: scale)
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(record).write(to: file, options: .atomic)
        } catch {
            throw RunFolderError(path: file.path, "cannot write the run's clock: \(error.localizedDescription)")
        }
        return ScaledClock(start: start, scale: scale)
    }
}
