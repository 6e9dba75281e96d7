import ArgumentParser
import EIXMCrypto
import EIXMModel
import Foundation

/// `eixm pki init`: writes a new exercise PKI.
struct PKIInitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write an exercise CA and an Ed25519 key and certificate for the router and every node.",
        discussion: """
            Writes ca.pem and ca.key, EIXM-ROUTER.pem/.key (SAN: eixm-router, localhost) and <NODE-ID>.pem/.key \
            for each node; private keys are mode 0600. Each certificate binds its node ID (SAN URI \
            urn:eixm:node:<ID>). Check them with: openssl verify -CAfile DIR/ca.pem DIR/SPOC-BE.pem
            """
    )

    @Option(name: .long, help: "The folder to write into; created if needed.")
    var out: String = "pki"

    @Flag(name: .long, help: "Replace an existing PKI in the folder.")
    var force = false

    @Option(
        name: .customLong("node"),
        help: "A node to certify (repeatable). Default: the 34 nodes of the default exercise."
    )
    var nodes: [NodeID] = []

    @Option(
        name: .long,
        parsing: .unconditional,
        help:
            "Designated authorities to certify too (DLEA-<STATE>-<n>, as an exercise file's designated_authorities names them)."
    )
    var designatedAuthorities = 0

    @Option(name: .long, help: "How many days the certificates are valid.")
    var validityDays: Int = 365

    func validate() throws {
        guard validityDays > 0 else { throw ValidationError("--validity-days must be at least 1.") }
        guard (0...DesignatedAuthorities.maximum).contains(designatedAuthorities) else {
            throw ValidationError("--designated-authorities must be between 0 and \(DesignatedAuthorities.maximum).")
        }
    }

    func run() async throws {
        let listed = self.nodes.isEmpty ? NodeID.defaultExercise : self.nodes
        let nodes = listed + DesignatedAuthorities.ids(count: designatedAuthorities, among: listed).map(\.id)
        let directory = URL(fileURLWithPath: out)
        let pki = try ExercisePKI.generate(nodes: nodes, validity: TimeInterval(validityDays) * 24 * 3600)
        try pki.write(to: directory, force: force)
        print("Wrote an exercise PKI to \(directory.path): CA, router \(NodeID.router) and \(nodes.count) node(s).")
        print("Check it with: openssl verify -CAfile \(directory.path)/ca.pem \(directory.path)/SPOC-BE.pem")
    }
}
