import Crypto
import EIXMAudit
import EIXMCrypto
import EIXMExercise
import EIXMModel
import EIXMRouter
import EIXMTestKit
import EIXMTransport
import EIXMTransportNIO
import Foundation
import NIOSSL
import SwiftASN1
import Testing
import X509

/// Certificates refused in the TLS verify callback, before any frame, over real mutual TLS on 127.0.0.1: each
/// refusal audited with the certificate's fingerprint and the peer's address; a certificate revoked while its
/// connection is open closes it.
@Suite("Certificates refused at the handshake", .timeLimit(.minutes(1)))
struct CertificateRefusalTests {
    /// Connects with `certificate`, sends HELLO, and checks that nothing came back and that the router audited the
    /// certificate as refused under `check`.
    func expectRefused(
        _ harness: TLSHarness,
        certificate: Certificate,
        key: Curve25519.Signing.PrivateKey,
        check: RouterCheck
    ) async throws {
        let configuration = try harness.clientConfiguration(certificate: certificate, key: key)
        let answer = try await harness.raw(
            configuration,
            writing: TLSHarness.helloBytes(certificate.nodeID ?? .spoc(.be))
        )
        // A certificate let in gets a WELCOME; then no refusal will come to wait for.
        try #require(answer.received.isEmpty, "the router answered a certificate it should have refused")
        var refusals = harness.refusals.makeAsyncIterator()
        let refusal = try #require(await refusals.next())
        let fingerprint = CertificateGate.fingerprint(of: certificate)
        #expect(refusal.fingerprint == fingerprint)
        let events = harness.audit.events.filter {
            $0.kind == .connectionRefused && $0.certificateFingerprint == fingerprint
        }
        #expect(events.count == 1)
        #expect(events.first?.rules == [check.rawValue])
        #expect(events.first?.peerAddress == "127.0.0.1")
        #expect(events.first?.reasons.first?.isEmpty == false)
        #expect(await harness.router.snapshot().connectedNodes.isEmpty)
    }

    @Test(
        "a leaf that is a CA, one without client auth and one without a node ID are refused and audited",
        arguments: CertificateForge.Defect.allCases
    )
    func forged(defect: CertificateForge.Defect) async throws {
        let harness = try await TLSHarness.start()
        let (certificate, key) = try CertificateForge.forge(defect, node: .spoc(.be), pki: harness.pki)
        try await harness.running {
            try await expectRefused(harness, certificate: certificate, key: key, check: .certificate)
        }
    }

    @Test("a client presenting the router's own certificate is refused and audited, never listed as connected")
    func routersOwn() async throws {
        let harness = try await TLSHarness.start()
        try await harness.running {
            try await expectRefused(
                harness,
                certificate: harness.pki.certificates[.router]!,
                key: harness.pki.privateKeys[.router]!,
                check: .certificate
            )
        }
    }

    @Test("a revoked certificate is refused at the handshake and audited as REVOKED")
    func revoked() async throws {
        let harness = try await TLSHarness.start()
        var pki = harness.pki
        try pki.revoke(.spoc(.fr), reason: .keyCompromise)
        harness.gate.replaceRevocations(pki.revocationList)
        try await harness.running {
            try await expectRefused(
                harness,
                certificate: pki.certificates[.spoc(.fr)]!,
                key: pki.privateKeys[.spoc(.fr)]!,
                check: .revoked
            )
        }
    }

    @Test("a node connected when its certificate is revoked is disconnected and audited; others stay connected")
    func revokedWhileConnected() async throws {
        let harness = try await TLSHarness.start()
        var pki = harness.pki
        let (welcomed, welcome) = AsyncStream<NodeID>.makeStream()
        try await harness.running {
            try await withThrowingTaskGroup(of: (NodeID, Bool).self) { group in
                for node in [NodeID.spoc(.fr), .spoc(.de)] {
                    group.addTask {
                        // true: the router closed the connection (its inbound ended or failed).
                        do {
                            try await harness.client(node).connect { connection in
                                try await connection.outbound.send([.hello(node: node)])
                                var frames = connection.inbound.makeAsyncIterator()
                                guard case .welcome = try await frames.next() else { return }
                                welcome.yield(node)
                                while let frame = try await frames.next() {
                                    if case .heartbeat = frame { try await connection.outbound.send([.heartbeat]) }
                                }
                            }
                        } catch {}
                        return (node, true)
                    }
                }
                var waiting = welcomed.makeAsyncIterator()
                _ = await waiting.next()
                _ = await waiting.next()
                try pki.revoke(.spoc(.fr), reason: .affiliationChanged)
                harness.gate.replaceRevocations(pki.revocationList)
                #expect(harness.server.closeRevoked() == 1)
                let (closed, _) = try #require(try await group.next())
                #expect(closed == .spoc(.fr))
                var refusals = harness.refusals.makeAsyncIterator()
                let refusal = try #require(await refusals.next())
                #expect(refusal.kind == .revoked)
                #expect(refusal.node == .spoc(.fr))
                let events = harness.audit.events.filter { $0.kind == .connectionRefused }
                #expect(events.map(\.rules) == [[RouterCheck.revoked.rawValue]])
                #expect(
                    events.first?.certificateFingerprint
                        == CertificateGate.fingerprint(of: pki.certificates[.spoc(.fr)]!)
                )
                #expect(events.first?.claimed == .spoc(.fr))
                #expect(harness.server.closeRevoked() == 0)
                // Germany was never closed: its link is still the one the router serves.
                #expect(await harness.router.snapshot().onlineNodes.contains(.spoc(.de)))
                group.cancelAll()
            }
        }
    }
}

/// What `eixm router` does on SIGHUP with the PKI folder's revocation list.
@Suite("Revocation list reload")
struct RevocationReloadTests {
    @Test("a list that cannot be read, or is signed by another CA, leaves the one in force and says why")
    func badList() async throws {
        let harness = try await TLSHarness.start()
        var pki = harness.pki
        try pki.revoke(.spoc(.fr), reason: .keyCompromise)
        try await TemporaryDirectory.with { folder in
            try pki.write(to: folder)
            let reloaded = RouterService.reloadRevocations(
                from: folder,
                pki: pki,
                gate: harness.gate,
                server: harness.server
            )
            #expect(reloaded.hasPrefix("revocation list reloaded: 1 certificate(s) revoked (list number 1)"))
            #expect(harness.gate.revocationList == pki.revocationList)
            let file = folder.appendingPathComponent(ExercisePKI.revocationListFile)
            for garbage in [
                "not a CRL\n", try ExercisePKI.generate(nodes: []).revoking(.router).revocationList!.pemString,
            ] {
                try garbage.write(to: file, atomically: true, encoding: .utf8)
                let refused = RouterService.reloadRevocations(
                    from: folder,
                    pki: pki,
                    gate: harness.gate,
                    server: harness.server
                )
                #expect(refused.hasPrefix("revocation list not reloaded, the one in force stays: "), "\(refused)")
                #expect(refused.contains(file.path))
                #expect(harness.gate.revocationList == pki.revocationList)
            }
        }
    }
}

extension ExercisePKI {
    /// This PKI with `node` revoked.
    fileprivate func revoking(_ node: NodeID) throws -> ExercisePKI {
        var copy = self
        try copy.revoke(node, reason: .unspecified)
        return copy
    }
}
