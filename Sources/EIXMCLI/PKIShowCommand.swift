import ArgumentParser
import EIXMCrypto
import EIXMModel
import Foundation

/// `eixm pki show`: lists what a PKI folder certifies.
struct PKIShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "List the certificates of a PKI folder: subject, names, expiry, fingerprint and trust."
    )

    @Argument(help: "The PKI folder.")
    var directory: String

    func run() async throws {
        let pki = try ExercisePKI.load(from: URL(fileURLWithPath: directory))
        let ca = try CertificateSummary(pki.caCertificate)
        print("CA  \(ca.subject)")
        print("    expires \(ca.notValidAfter.formatted(.iso8601))  SHA-256 \(ca.fingerprint)")
        print("    private key: \(pki.caPrivateKey == nil ? "absent" : "present")")
        for node in pki.nodes {
            guard let certificate = pki.certificates[node] else { continue }
            let summary = try CertificateSummary(certificate)
            let trust = await pki.validate(certificate)
            let key = pki.privateKeys[node] == nil ? "no key" : "key"
            let revoked = pki.revocation(of: node).map {
                " REVOKED \(Timestamp($0.revocationDate).rfc3339) (\($0.reason))"
            }
            print("\(node.rawValue)  \(summary.subject)  [\(key)] \(trust)\(revoked ?? "")")
            print("    SAN \(summary.alternativeNames.joined(separator: ", "))")
            print("    expires \(summary.notValidAfter.formatted(.iso8601))  SHA-256 \(summary.fingerprint)")
        }
        if let list = pki.revocationList {
            print(
                "Revocation list \(ExercisePKI.revocationListFile): number \(list.number), \(list.entries.count) revoked, issued \(Timestamp(list.thisUpdate).rfc3339), next update \(Timestamp(list.nextUpdate).rfc3339)."
            )
        }
        print("\(pki.nodes.count) node certificate(s).")
    }
}
