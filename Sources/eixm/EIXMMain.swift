import ArgumentParser
import EIXMCLI
import EIXMTransportNIO

/// The `eixm` executable: an `@main` type so that the async root command is awaited (a top-level `main.swift`
/// would bind to the synchronous entry point).
@main
struct EIXMMain {
    static func main() async {
        // NIO's event loops run Swift Concurrency's jobs: no thread hop between a socket and its task.
        ConcurrencyExecutor.adoptEventLoops()
        await EIXMCommand.main()
    }
}
