import Dispatch
import Foundation

/// Turns signals (by default SIGINT and SIGTERM) into events on a stream, so that a run can drain and report instead
/// of dying, or reload (SIGHUP).
final class SignalStop {
    let stream: AsyncStream<Void>
    private let sources: [any DispatchSourceSignal]

    init(signals: [Int32] = [SIGINT, SIGTERM]) {
        let (stream, continuation) = AsyncStream<Void>.makeStream()
        self.stream = stream
        sources = signals.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { continuation.yield() }
            source.resume()
            return source
        }
    }

    deinit {
        for source in sources { source.cancel() }
    }
}
