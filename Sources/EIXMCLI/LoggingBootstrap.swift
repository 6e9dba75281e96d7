import ArgumentParser
import EIXMModel
import Logging

extension Logger.Level: @retroactive ExpressibleByArgument {}

/// How log records are written to standard error: text for people, JSON Lines for machines.
enum LogFormat: String, ExpressibleByArgument, CaseIterable {
    case text
    case json
}

/// Bootstraps swift-log once per process: the CLI is the only place that does.
enum LoggingBootstrap {
    private static let done = Locked(false)

    static func bootstrap(level: Logger.Level, format: LogFormat = .text) {
        let first = done.withLock { done in
            defer { done = true }
            return !done
        }
        guard first else { return }
        LoggingSystem.bootstrap { label in
            switch format {
            case .text:
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            case .json:
                return JSONLinesLogHandler(label: label, level: level)
            }
        }
    }
}
