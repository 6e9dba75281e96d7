import Foundation
import Logging

/// A swift-log handler writing one JSON object per line to standard error (`--log-format json`): `timestamp`
/// (RFC 3339, milliseconds, UTC), `level`, `label`, `message`, `source`, and the metadata under their dotted names
/// (`node.id`), nested metadata flattened into dotted names, lists kept as lists.
struct JSONLinesLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?
    /// Where the lines go (standard error; a test passes its own).
    let write: @Sendable (Data) -> Void

    init(
        label: String,
        level: Logger.Level,
        write: @escaping @Sendable (Data) -> Void = { FileHandle.standardError.write($0) }
    ) {
        self.label = label
        self.logLevel = level
        self.write = write
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var fields: [String: Any] = [
            "timestamp": Self.timestamp(Date()),
            "level": event.level.rawValue,
            "label": label,
            "message": "\(event.message)",
            "source": event.source,
        ]
        var all = metadata
        if let provided = metadataProvider?.get() { all.merge(provided) { _, new in new } }
        if let given = event.metadata { all.merge(given) { _, new in new } }
        for (key, value) in all { Self.flatten(value, as: key, into: &fields) }
        guard
            var line = try? JSONSerialization.data(
                withJSONObject: fields,
                options: [.sortedKeys, .withoutEscapingSlashes]
            )
        else { return }
        line.append(UInt8(ascii: "\n"))
        write(line)
    }

    /// A metadata value under `key`: strings as strings, lists as lists, dictionaries as `key.inner` names.
    static func flatten(_ value: Logger.MetadataValue, as key: String, into fields: inout [String: Any]) {
        switch value {
        case .string(let text): fields[key] = text
        case .stringConvertible(let convertible): fields[key] = convertible.description
        case .array(let values): fields[key] = values.map { plain($0) }
        case .dictionary(let inner): for (name, value) in inner { flatten(value, as: "\(key).\(name)", into: &fields) }
        }
    }

    private static func plain(_ value: Logger.MetadataValue) -> Any {
        switch value {
        case .string(let text): text
        case .stringConvertible(let convertible): convertible.description
        case .array(let values): values.map { plain($0) }
        case .dictionary(let inner): inner.mapValues { plain($0) }
        }
    }

    static func timestamp(_ date: Date) -> String {
        date.formatted(
            .iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted)
        )
    }
}
