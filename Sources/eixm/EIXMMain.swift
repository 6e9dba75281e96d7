import ArgumentParser
import EIXMCLI

/// The `eixm` executable: an `@main` type so that the async root command is awaited (a top-level `main.swift`
/// would bind to the synchronous entry point).
@main
struct EIXMMain {
    static func main() async {
        await EIXMCommand.main()
    }
}
