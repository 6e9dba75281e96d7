import ArgumentParser
import EIXMModel
import Logging

extension Logger.Level: @retroactive ExpressibleByArgument {}

/// Bootstraps swift-log once per process: the CLI is the only place that does.
enum LoggingBootstrap {
    private static let done = Locked(false)

    static func bootstrap(level: Logger.Level) {
        let first = done.withLock { done in
            defer { done = true }
            return !done
        }
        guard first else { return }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}
