import Crypto
import EIXMCrypto
import EIXMModel
import EIXMTestKit
import Foundation
import Testing
import X509

@Suite("Exercise PKI")
struct ExercisePKITests {
    @Test("every node certificate chains to the CA and binds its node ID")
    func chain() async throws {
        let pki = try ExercisePKI.generate()
        #expect(pki.nodes.count == 35)
        for node in pki.nodes {
            let certificate = try #require(pki.certificates[node])
            #expect(await pki.validate(certificate) == .trusted(node))
        }
        let router = try #require(pki.certificates[.router])
        let names = try #require(try router.extensions.subjectAlternativeNames)
        #expect(names.contains(.dnsName("localhost")))
        #expect(names.contains(.dnsName("eixm-router")))
    }

    @Test("a certificate made by another CA is refused")
    func foreignCA() async throws {
        let ours = try ExercisePKI.generate(nodes: [.spoc(.be)])
        let theirs = try ExercisePKI.generate(nodes: [.spoc(.be)])
        let foreign = try #require(theirs.certificates[.spoc(.be)])
        #expect(!(await ours.validate(foreign)).isTrusted)
    }

    @Test("a certificate is refused outside its validity period")
    func expiry() async throws {
        let now = Date()
        let pki = try ExercisePKI.generate(nodes: [.spoc(.be)], now: now, validity: 3600)
        let certificate = try #require(pki.certificates[.spoc(.be)])
        #expect(await pki.validate(certificate, at: now).isTrusted)
        #expect(!(await pki.validate(certificate, at: now.addingTimeInterval(7200))).isTrusted)
    }

    @Test("the CA certificate is not accepted as a node certificate")
    func caIsNotANode() async throws {
        let pki = try ExercisePKI.generate(nodes: [.spoc(.be)])
        #expect(!(await pki.validate(pki.caCertificate)).isTrusted)
    }

    @Test("a CA certificate that binds a node ID (a CA from elsewhere) is still not accepted as that node")
    func caBindingANodeIDIsNotANode() async throws {
        let key = Curve25519.Signing.PrivateKey()
        let name = try DistinguishedName { CommonName("a CA that names a node") }
        let publicKey = Certificate.PublicKey(key.publicKey)
        let ca = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: publicKey,
            notValidBefore: Date().addingTimeInterval(-3600),
            notValidAfter: Date().addingTimeInterval(3600),
            issuer: name,
            subject: name,
            signatureAlgorithm: .ed25519,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(digitalSignature: true, keyCertSign: true))
                SubjectAlternativeNames([.uniformResourceIdentifier(Certificate.nodeIDURIPrefix + "SPOC-BE")])
                SubjectKeyIdentifier(hash: publicKey)
            },
            issuerPrivateKey: Certificate.PrivateKey(key)
        )
        #expect(ca.nodeID == .spoc(.be))
        let pki = ExercisePKI(caCertificate: ca, caPrivateKey: key, certificates: [:], privateKeys: [:])
        #expect(!(await pki.validate(ca)).isTrusted)
    }

    @Test("a PKI written to a folder loads back, with private keys of mode 0600")
    func writeAndLoad() async throws {
        try await TemporaryDirectory.with { folder in
            let pki = try ExercisePKI.generate(nodes: [.spoc(.be), .frontex])
            try pki.write(to: folder)
            let loaded = try ExercisePKI.load(from: folder)
            #expect(loaded.caCertificate == pki.caCertificate)
            #expect(loaded.certificates == pki.certificates)
            #expect(loaded.nodes == [.router, .frontex, .spoc(.be)].sorted())
            let identity = try loaded.identity(for: .frontex)
            #expect(
                identity.publicKey.rawRepresentation == (try pki.identity(for: .frontex)).publicKey.rawRepresentation
            )
            for name in ["ca.key", "SPOC-BE.key", "EIXM-ROUTER.key"] {
                let attributes = try FileManager.default.attributesOfItem(
                    atPath: folder.appendingPathComponent(name).path
                )
                #expect((attributes[.posixPermissions] as? Int) == 0o600, "\(name)")
            }
        }
    }

    @Test("a second init without force is refused and changes nothing; with force it replaces")
    func refuseOverwrite() async throws {
        try await TemporaryDirectory.with { folder in
            try ExercisePKI.generate(nodes: [.spoc(.be)]).write(to: folder)
            let before = try Self.snapshot(folder)
            let second = try ExercisePKI.generate(nodes: [.spoc(.fr)])
            do {
                try second.write(to: folder)
                Issue.record("overwrote an existing PKI")
            } catch let error as CredentialError {
                #expect(error.code == .pkiExists)
                #expect(error.description.contains("--force"))
            }
            #expect(try Self.snapshot(folder) == before)
            try second.write(to: folder, force: true)
            let replaced = try ExercisePKI.load(from: folder)
            #expect(replaced.nodes == [.router, .spoc(.fr)].sorted())
            #expect(replaced.caCertificate == second.caCertificate)
        }
    }

    @Test("loading names what is wrong: no CA, a file that is not PEM, a certificate under another node's name")
    func loadErrors() async throws {
        try await TemporaryDirectory.with { folder in
            #expect(throws: CredentialError.self) { try ExercisePKI.load(from: folder) }
            let pki = try ExercisePKI.generate(nodes: [.spoc(.be), .spoc(.fr)])
            try pki.write(to: folder)
            let france = folder.appendingPathComponent("SPOC-FR.pem")
            try FileManager.default.removeItem(at: france)
            try FileManager.default.copyItem(at: folder.appendingPathComponent("SPOC-BE.pem"), to: france)
            do {
                _ = try ExercisePKI.load(from: folder)
                Issue.record("loaded a certificate under another node's name")
            } catch let error as CredentialError {
                #expect(error.code == .credentialMismatch)
                #expect(error.subject.hasSuffix("SPOC-FR.pem"))
            }
            try "not a certificate".write(to: france, atomically: true, encoding: .utf8)
            do {
                _ = try ExercisePKI.load(from: folder)
                Issue.record("loaded garbage as a certificate")
            } catch let error as CredentialError {
                #expect(error.code == .malformedCredential)
            }
        }
    }

    @Test("the system openssl accepts every certificate")
    func opensslVerify() async throws {
        let openssl = "/usr/bin/openssl"
        try #require(
            FileManager.default.isExecutableFile(atPath: openssl),
            "the system openssl is part of this machine kind"
        )
        try await TemporaryDirectory.with { folder in
            let pki = try ExercisePKI.generate()
            try pki.write(to: folder)
            let certificates = pki.nodes.map { folder.appendingPathComponent($0.rawValue + ".pem").path }
            let (status, output) = try await ChildProcess.run(
                openssl,
                ["verify", "-CAfile", folder.appendingPathComponent("ca.pem").path] + certificates
            )
            #expect(status == 0, "\(output)")
            #expect(output.components(separatedBy: ": OK").count - 1 == certificates.count)
            // A certificate from another CA is refused by openssl too.
            let other = try ExercisePKI.generate(nodes: [.spoc(.be)])
            let otherFolder = folder.appendingPathComponent("other")
            try other.write(to: otherFolder)
            let (refused, _) = try await ChildProcess.run(
                openssl,
                [
                    "verify", "-CAfile", folder.appendingPathComponent("ca.pem").path,
                    otherFolder.appendingPathComponent("SPOC-BE.pem").path,
                ]
            )
            #expect(refused != 0)
        }
    }

    static func snapshot(_ folder: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            files[name] = try Data(contentsOf: folder.appendingPathComponent(name))
        }
        return files
    }
}
