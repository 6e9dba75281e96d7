import ArgumentParser
import EIXMCrypto
import EIXMModel
import Foundation

/// `eixm pki renew`: re-issues a node's key and certificate.
struct PKIRenewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "renew",
        abstract: "Issue a node a new key and certificate (same names, valid one year from now) with the CA key.",
        discussion: """
            Replaces NODE.pem and NODE.key in the folder. The old certificate stays valid until it expires or is \
            revoked ('eixm pki revoke' before renewing takes it out of use at once).
            """
    )

    @Argument(help: "The PKI folder (eixm pki init); it must hold the CA key.")
    var directory: String

    @Argument(help: "The node to re-issue.")
    var node: NodeID

    func run() async throws {
        let folder = URL(fileURLWithPath: directory)
        var pki = try ExercisePKI.load(from: folder)
        try pki.renew(node)
        try pki.writeIdentity(of: node, to: folder)
        let summary = try CertificateSummary(pki.certificates[node]!)
        print(
            "Renewed \(node): a new key and certificate in \(folder.path), expires \(summary.notValidAfter.formatted(.iso8601)), SHA-256 \(summary.fingerprint)."
        )
    }
}
