import Crypto
import EIXMCrypto
import EIXMModel
import EIXMTestKit
import Foundation
import Testing
import X509

@Suite("Revocation list (CRL)")
struct RevocationListTests {
    static let nodes: [NodeID] = [.spoc(.be), .spoc(.fr), .spoc(.de)]

    @Test("a revocation reads back from its PEM with serial, date and reason, signed by the CA")
    func roundTrip() throws {
        var pki = try ExercisePKI.generate(nodes: Self.nodes)
        let when = Date(timeIntervalSince1970: 1_790_000_000)
        try pki.revoke(.spoc(.fr), reason: .keyCompromise, now: when)
        try pki.revoke(.spoc(.de), reason: .unspecified, now: when.addingTimeInterval(60))
        let list = try #require(pki.revocationList)
        let read = try RevocationList(pemEncoded: list.pemString)
        #expect(read.number == 2)
        #expect(read.entries.count == 2)
        #expect(read.entry(for: pki.certificates[.spoc(.fr)]!.serialNumber)?.reason == .keyCompromise)
        #expect(read.entry(for: pki.certificates[.spoc(.fr)]!.serialNumber)?.revocationDate == when)
        #expect(read.entry(for: pki.certificates[.spoc(.de)]!.serialNumber)?.reason == .unspecified)
        #expect(read.entry(for: pki.certificates[.spoc(.be)]!.serialNumber) == nil)
        #expect(read.thisUpdate == when.addingTimeInterval(60))
        #expect(read.nextUpdate > read.thisUpdate)
        #expect(read.isIssued(by: pki.caCertificate))
        #expect(!read.isIssued(by: try ExercisePKI.generate(nodes: []).caCertificate))
    }

    @Test("one changed byte in the signed part breaks the signature or the reading")
    func tampering() throws {
        var pki = try ExercisePKI.generate(nodes: Self.nodes)
        try pki.revoke(.spoc(.fr), reason: .superseded)
        let der = try #require(pki.revocationList).derBytes
        var random = SeededGenerator(seed: 977)
        for _ in 0..<64 {
            var bytes = der
            let index = Int.random(in: 0..<(der.count - 70), using: &random)
            bytes[index] ^= UInt8.random(in: 1...255, using: &random)
            if let read = try? RevocationList(derEncoded: bytes) {
                #expect(!read.isIssued(by: pki.caCertificate), "byte \(index) changed and the list still verifies")
            }
        }
    }

    @Test("a certificate already revoked cannot be revoked again; renewing gives a certificate the list does not name")
    func revokeTwiceAndRenew() throws {
        var pki = try ExercisePKI.generate(nodes: Self.nodes)
        try pki.revoke(.spoc(.fr), reason: .keyCompromise)
        #expect(throws: CredentialError.self) { try pki.revoke(.spoc(.fr), reason: .keyCompromise) }
        let old = pki.certificates[.spoc(.fr)]!
        try pki.renew(.spoc(.fr))
        #expect(pki.certificates[.spoc(.fr)]!.serialNumber != old.serialNumber)
        #expect(pki.revocation(of: .spoc(.fr)) == nil)
        #expect(pki.revocationList?.entry(for: old.serialNumber) != nil)
        #expect(try pki.identity(for: .spoc(.fr)).certificate == pki.certificates[.spoc(.fr)]!)
    }

    @Test("the list is kept in the PKI folder; one signed by another CA is refused when the folder is read")
    func folder() async throws {
        try await TemporaryDirectory.with { folder in
            var pki = try ExercisePKI.generate(nodes: Self.nodes)
            try pki.revoke(.spoc(.be), reason: .cessationOfOperation)
            try pki.write(to: folder)
            let loaded = try ExercisePKI.load(from: folder)
            #expect(loaded.revocationList == pki.revocationList)
            #expect(loaded.revocation(of: .spoc(.be))?.reason == .cessationOfOperation)
            var other = try ExercisePKI.generate(nodes: Self.nodes)
            try other.revoke(.spoc(.be), reason: .keyCompromise)
            try other.revocationList!.pemString.write(
                to: folder.appendingPathComponent(ExercisePKI.revocationListFile),
                atomically: true,
                encoding: .utf8
            )
            #expect(throws: CredentialError.self) { try ExercisePKI.load(from: folder) }
        }
    }

    @Test("openssl crl -verify accepts the list with the CA, and refuses it with another CA (when openssl is here)")
    func openssl() async throws {
        try await TemporaryDirectory.with { folder in
            var pki = try ExercisePKI.generate(nodes: Self.nodes)
            try pki.revoke(.spoc(.fr), reason: .keyCompromise)
            try pki.write(to: folder.appendingPathComponent("ours"))
            try ExercisePKI.generate(nodes: []).write(to: folder.appendingPathComponent("other"))
            let crl = folder.appendingPathComponent("ours/\(ExercisePKI.revocationListFile)").path
            let verify = { (pkiName: String) in
                try await ChildProcess.run(
                    "/usr/bin/env",
                    [
                        "openssl", "crl", "-in", crl, "-CAfile",
                        folder.appendingPathComponent("\(pkiName)/\(ExercisePKI.caCertificateFile)").path, "-verify",
                        "-noout",
                        "-text",
                    ]
                )
            }
            let good = try await verify("ours")
            guard good.status != 127 else { return }  // no openssl on this machine
            #expect(good.status == 0, "\(good.output)")
            #expect(good.output.contains("verify OK"))
            #expect(good.output.contains(RevocationList.hex(pki.certificates[.spoc(.fr)]!.serialNumber)))
            #expect(good.output.contains("Key Compromise"))
            let foreign = try await verify("other")
            #expect(!(foreign.status == 0 && foreign.output.contains("verify OK")), "\(foreign.output)")
        }
    }
}
