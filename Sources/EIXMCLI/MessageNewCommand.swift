import ArgumentParser
import EIXMCrypto
import EIXMModel
import EIXMRules
import Foundation

/// `eixm message new`: writes a signed envelope.
struct MessageNewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Write a signed envelope from header options and a body.",
        discussion: """
            The sender's key comes from the PKI folder (<SENDER>.key). Example:
              eixm message new --pki pki --from SPOC-BE --to SPOC-FR --urgency URGENT \\
                --urgency-reason IMMINENT_THREAT_LIFE_OR_PHYSICAL_INTEGRITY --accessibility DIRECT \\
                --crime-area DRUG_TRAFFICKING --language EN --body 'Courier seen at Antwerp.' --out req.eixm
            """
    )

    @Option(name: .long, help: "The PKI folder holding the sender's key and certificate.")
    var pki: String

    @OptionGroup var header: HeaderOptions

    @Option(name: .long, help: "The body text.")
    var body: String?

    @Option(name: .long, help: "A file whose bytes are the body.")
    var bodyFile: String?

    @Option(name: .long, help: "Where to write the envelope.")
    var out: String

    func validate() throws {
        if body != nil, bodyFile != nil { throw ValidationError("Give --body or --body-file, not both.") }
    }

    func run() async throws {
        let header = try header.header()
        // A message to a node no directory knows would be refused by any router (UNKNOWN_NODE): say so now.
        let unknown = RulesEngine(configuration: .builtIn()).unknownNodes(in: header)
        if !unknown.isEmpty {
            let names = unknown.map { "\($0.node) (\($0.field.name))" }.joined(separator: ", ")
            throw CommandError("\(names): not a node the rules know.")
        }
        let bodyBytes: [UInt8]
        if let bodyFile {
            do {
                bodyBytes = try PlainFile.bytes(bodyFile)
            } catch {
                throw CommandError("\(error) (the body).")
            }
        } else {
            bodyBytes = Array((body ?? "").utf8)
        }
        let identity = try ExercisePKI.load(from: URL(fileURLWithPath: pki)).identity(for: header.sender)
        let envelope = try identity.seal(header, body: bodyBytes)
        try EnvelopeFile.write(envelope, to: out)
        print(
            "Wrote \(out): \(header.messageType) \(header.id.uuidString.lowercased()) from \(header.sender) to \(header.recipients.map(\.rawValue).joined(separator: ", ")), \(bodyBytes.count) body byte(s), signed."
        )
    }
}
