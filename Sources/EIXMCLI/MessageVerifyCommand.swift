import ArgumentParser
import EIXMCrypto
import EIXMModel
import Foundation

/// `eixm message verify`: checks an envelope's signature against the sender's certificate.
struct MessageVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check an envelope's signature against its sender's certificate in a PKI folder.",
        discussion: """
            Exit status 0 when the envelope is well-formed, its sender is certified by the PKI's CA and the \
            signature verifies; otherwise 1, saying why: malformed envelope, unknown sender, untrusted \
            certificate or bad signature.
            """
    )

    @Argument(help: "The envelope file.")
    var file: String

    @Option(name: .long, help: "The PKI folder holding the CA and the sender's certificate.")
    var pki: String

    func run() async throws {
        let envelope = try EnvelopeFile.read(file)
        let pki = try ExercisePKI.load(from: URL(fileURLWithPath: pki))
        let outcome = await EnvelopeCheck.check(envelope, against: pki)
        print("\(file): \(outcome)")
        if !outcome.isValid { throw ExitCode(1) }
    }
}
