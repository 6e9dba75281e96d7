import ArgumentParser
import EIXMCrypto
import EIXMModel
import Foundation

/// `eixm pki revoke`: puts a node's certificate on the CA's revocation list.
struct PKIRevokeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke",
        abstract: "Revoke a node's certificate: write a new revocation list (crl.pem) signed by the exercise CA.",
        discussion: """
            The list keeps every earlier revocation and is numbered one above the last (RFC 5280 CRL, version 2; \
            'openssl crl -in DIR/crl.pem -CAfile DIR/ca.pem -verify -noout' checks it). A running 'eixm router' \
            reads it again on SIGHUP and closes the node's connection; started later it refuses the certificate \
            at the TLS handshake. 'eixm pki renew' gives the node a new certificate.
            """
    )

    @Argument(help: "The PKI folder (eixm pki init); it must hold the CA key.")
    var directory: String

    @Argument(help: "The node whose current certificate is revoked.")
    var node: NodeID

    @Option(
        name: .long,
        help: ArgumentHelp("Why (an RFC 5280 reason code; default: unspecified).", valueName: "reason")
    )
    var reason: RevocationReason?

    func run() async throws {
        let folder = URL(fileURLWithPath: directory)
        var pki = try ExercisePKI.load(from: folder)
        let entry = try pki.revoke(node, reason: reason ?? .unspecified)
        try pki.writeRevocationList(to: folder)
        let list = pki.revocationList!
        print(
            "Revoked \(node) (serial \(RevocationList.hex(entry.serialNumber)), \(entry.reason)) in \(folder.appendingPathComponent(ExercisePKI.revocationListFile).path): list number \(list.number), \(list.entries.count) certificate(s) revoked, next update \(Timestamp(list.nextUpdate).rfc3339)."
        )
        print("A running router reads it on SIGHUP (kill -HUP <pid>).")
    }
}

extension RevocationReason: ExpressibleByArgument {
    public init?(argument: String) { self.init(name: argument) }
    public static var allValueStrings: [String] { allCases.map(\.name) }
    public static var allValueDescriptions: [String: String] {
        Dictionary(uniqueKeysWithValues: allCases.map { ($0.name, $0.meaning) })
    }
}
