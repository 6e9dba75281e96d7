import ArgumentParser

/// `eixm message show`: prints an envelope as JSON.
struct MessageShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print an envelope as JSON: header, body digest and text, signature.",
        discussion: "The signature is not checked; use 'eixm message verify' for that."
    )

    @Argument(help: "The envelope file.")
    var file: String

    func run() async throws {
        print(try EnvelopeRendering(EnvelopeFile.read(file)).jsonText())
    }
}
