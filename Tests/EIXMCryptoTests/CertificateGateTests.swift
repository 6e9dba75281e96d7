import Crypto
import EIXMCrypto
import EIXMModel
import EIXMTestKit
import Foundation
import SwiftASN1
import Testing
import X509

@Suite("Certificate gate (the router's handshake check)")
struct CertificateGateTests {
    static func der(_ certificate: Certificate) throws -> [UInt8] {
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        return serializer.serializedBytes
    }

    static func refusal(_ result: Result<NodeID, CertificateRefusal>) -> CertificateRefusal? {
        if case .failure(let refusal) = result { return refusal }
        return nil
    }

    @Test("a node certificate of the PKI is admitted as its node")
    func admitted() async throws {
        let pki = try ExercisePKI.generate(nodes: [.spoc(.be)])
        let gate = CertificateGate(trustRoot: pki.caCertificate, router: .router)
        let result = await gate.check(derBytes: try Self.der(pki.certificates[.spoc(.be)]!))
        #expect(try result.get() == .spoc(.be))
    }

    @Test(
        "each certificate the PKI would not give a node is refused, by kind, with its fingerprint",
        arguments: CertificateForge.Defect.allCases
    )
    func forged(defect: CertificateForge.Defect) async throws {
        let pki = try ExercisePKI.generate(nodes: [.spoc(.be)])
        let gate = CertificateGate(trustRoot: pki.caCertificate, router: .router)
        let (certificate, _) = try CertificateForge.forge(defect, node: .spoc(.be), pki: pki)
        let der = try Self.der(certificate)
        let refusal = try #require(Self.refusal(await gate.check(derBytes: der)))
        let expected: CertificateRefusal.Kind =
            switch defect {
            case .certificateAuthority: .certificateAuthority
            case .serverOnly: .notForClients
            case .noNodeID: .noNodeID
            }
        #expect(refusal.kind == expected)
        #expect(refusal.fingerprint == SHA256.hash(data: der).map { String(format: "%02x", $0) }.joined())
        #expect(refusal.node == (defect == .noNodeID ? nil : .spoc(.be)))
    }

    @Test("the router's own certificate, the CA's, another CA's and an expired one are refused")
    func others() async throws {
        let now = Date()
        let pki = try ExercisePKI.generate(nodes: [.spoc(.be)], now: now, validity: 7200)
        let gate = CertificateGate(trustRoot: pki.caCertificate, router: .router)
        let router = Self.refusal(await gate.check(derBytes: try Self.der(pki.certificates[.router]!)))
        #expect(router?.kind == .namesRouter)
        let ca = Self.refusal(await gate.check(derBytes: try Self.der(pki.caCertificate)))
        #expect(ca?.kind == .certificateAuthority)
        let foreign = try ExercisePKI.generate(nodes: [.spoc(.be)])
        let stranger = Self.refusal(await gate.check(derBytes: try Self.der(foreign.certificates[.spoc(.be)]!)))
        #expect(stranger?.kind == .untrusted)
        let later = Self.refusal(
            await gate.check(
                derBytes: try Self.der(pki.certificates[.spoc(.be)]!),
                at: now.addingTimeInterval(3 * 3600)
            )
        )
        #expect(later?.kind == .untrusted)
        let garbage = Self.refusal(await gate.check(derBytes: [0x30, 0x03, 0x02, 0x01, 0x01]))
        #expect(garbage?.kind == .unreadable)
    }

    @Test("a revoked certificate is refused once the list naming it is in force, and its renewal is admitted")
    func revoked() async throws {
        var pki = try ExercisePKI.generate(nodes: [.spoc(.be), .spoc(.fr)])
        let gate = CertificateGate(trustRoot: pki.caCertificate, router: .router)
        let old = try Self.der(pki.certificates[.spoc(.fr)]!)
        #expect(gate.revocation(of: old) == nil)
        try pki.revoke(.spoc(.fr), reason: .keyCompromise)
        #expect(Self.refusal(await gate.check(derBytes: old)) == nil)
        gate.replaceRevocations(pki.revocationList)
        let refusal = try #require(Self.refusal(await gate.check(derBytes: old)))
        #expect(refusal.kind == .revoked)
        #expect(refusal.detail.contains("key-compromise"))
        #expect(gate.revocation(of: old)?.kind == .revoked)
        #expect(try await gate.check(derBytes: try Self.der(pki.certificates[.spoc(.be)]!)).get() == .spoc(.be))
        try pki.renew(.spoc(.fr))
        #expect(try await gate.check(derBytes: try Self.der(pki.certificates[.spoc(.fr)]!)).get() == .spoc(.fr))
    }
}
