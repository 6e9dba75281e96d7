import ArgumentParser
import Crypto
import EIXMCrypto
import EIXMModel
import EIXMTestKit
import Foundation

/// `eixm-bench codec`: the canonical encoding and the signature operations, measured in one run.
struct CodecBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "codec",
        abstract: "Encode+decode time of a 1-KiB message, Ed25519 sign and verify rates, and their ratio."
    )

    @Option(help: "Operations per round for the codec.")
    var operations = 100_000

    @Option(help: "Operations per round for signing and verifying.")
    var signatures = 5_000

    @OptionGroup var stopwatch: Stopwatch

    func run() throws {
        let pki = try ExercisePKI.generate(nodes: [.spoc(.be), .spoc(.fr)])
        let identity = try pki.identity(for: .spoc(.be))
        let keys = try pki.keyDirectory()
        let header = SampleMessages.request()
        let body = SampleMessages.body(count: 1024)
        let sealed = try identity.seal(header, body: body)
        let wire = sealed.wireBytes()

        let encode = try stopwatch.secondsPerOperation(operations: operations) {
            let canonical = try header.canonicalBytes()
            let envelope = try Envelope(
                header: header,
                canonicalHeader: canonical,
                body: body,
                signature: sealed.signature
            )
            blackHole(envelope.wireBytes())
        }
        let decode = try stopwatch.secondsPerOperation(operations: operations) {
            blackHole(try Envelope(wireBytes: wire))
        }
        let signingInput = sealed.signingInput(
            bodyDigest: SHA256.hash(data: body),
            scheme: SignatureBlock.ed25519Scheme
        )
        let sign = try stopwatch.secondsPerOperation(operations: signatures) {
            blackHole(try identity.privateKey.signature(for: signingInput))
        }
        let seal = try stopwatch.secondsPerOperation(operations: signatures) {
            blackHole(try identity.seal(header, body: body))
        }
        let verify = stopwatch.secondsPerOperation(operations: signatures) {
            blackHole(keys.verify(sealed))
        }

        let codec = encode + decode
        print(
            "eixm-bench codec: \(wire.count)-byte envelope (1024-byte body, \(sealed.canonicalHeader.count)-byte header), best of \(stopwatch.rounds) rounds"
        )
        print(String(format: "  encode            %8.3f µs", encode * 1e6))
        print(String(format: "  decode            %8.3f µs", decode * 1e6))
        print(String(format: "  encode+decode     %8.3f µs   (goal ≤ 3 µs)", codec * 1e6))
        print(String(format: "  Ed25519 sign      %8.0f /s    (%.1f µs)", 1 / sign, sign * 1e6))
        print(String(format: "  seal (encode+SHA-256+sign) %8.0f /s", 1 / seal))
        print(
            String(
                format: "  verify envelope   %8.0f /s    (%.1f µs, SHA-256 of the body included)",
                1 / verify,
                verify * 1e6
            )
        )
        print(
            String(
                format: "  ratio encode+decode / verify = %.4f  (1/%.0f; goal ≤ 1/25)",
                codec / verify,
                verify / codec
            )
        )
    }
}
