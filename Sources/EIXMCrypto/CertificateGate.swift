import Crypto
import EIXMModel
import Foundation
import SwiftASN1
import X509

/// What the router asks of a peer's certificate before the TLS handshake completes: a path to the exercise CA
/// under RFC 5280 and within its validity period, not a CA, made for TLS clients (digital signature, client auth),
/// a valid node ID that is not the router's, and not on the CA's revocation list. The list can be replaced while
/// connections are served (SIGHUP).
public final class CertificateGate: Sendable {
    private let trustRoot: Certificate
    private let router: NodeID
    private let revocations: Locked<RevocationList?>

    public init(trustRoot: Certificate, router: NodeID, revocations: RevocationList? = nil) {
        self.trustRoot = trustRoot
        self.router = router
        self.revocations = Locked(revocations)
    }

    /// Replaces the revocation list (read again from the PKI folder).
    public func replaceRevocations(_ list: RevocationList?) {
        revocations.withLock { $0 = list }
    }

    /// The list in force.
    public var revocationList: RevocationList? { revocations.withLock { $0 } }

    /// The node a certificate (DER) proves, or why it is refused.
    public func check(derBytes: [UInt8], at time: Date = Date()) async -> Result<NodeID, CertificateRefusal> {
        // The fingerprint is worked out for a refusal only: in a connect storm every handshake passes here.
        let certificate: Certificate
        do {
            certificate = try Certificate(derEncoded: derBytes)
        } catch {
            return .failure(
                .init(
                    kind: .unreadable,
                    fingerprint: Self.fingerprint(derBytes),
                    node: nil,
                    detail: "not a readable certificate"
                )
            )
        }
        let named = certificate.nodeID
        func refuse(_ kind: CertificateRefusal.Kind, _ detail: String) -> Result<NodeID, CertificateRefusal> {
            .failure(.init(kind: kind, fingerprint: Self.fingerprint(derBytes), node: named, detail: detail))
        }
        if let problem = await ExercisePKI.pathProblem(certificate, root: trustRoot, at: time) {
            return refuse(.untrusted, problem)
        }
        if let constraints = try? certificate.extensions.basicConstraints, case .isCertificateAuthority = constraints {
            return refuse(.certificateAuthority, "a CA certificate (CA:TRUE), not a node's")
        }
        let keyUsage = try? certificate.extensions.keyUsage
        let extendedUsage = try? certificate.extensions.extendedKeyUsage
        guard keyUsage?.digitalSignature == true, extendedUsage?.contains(.clientAuth) == true else {
            return refuse(.notForClients, "not made for TLS clients (the PKI sets digital signature and client auth)")
        }
        guard let node = named else {
            return refuse(.noNodeID, "binds no node ID (no valid \(Certificate.nodeIDURIPrefix) name)")
        }
        guard node != router else {
            return refuse(.namesRouter, "names the router \(router), which no node may present")
        }
        if let entry = revocationList?.entry(for: certificate.serialNumber) {
            return refuse(.revoked, Self.revoked(entry))
        }
        return .success(node)
    }

    /// The revocation of a certificate (DER) by the list in force, or `nil`: for connections already open.
    public func revocation(of derBytes: [UInt8]) -> CertificateRefusal? {
        // Without a list, or with an empty one, nothing is revoked: no certificate to read.
        guard let list = revocationList, !list.entries.isEmpty,
            let certificate = try? Certificate(derEncoded: derBytes),
            let entry = list.entry(for: certificate.serialNumber)
        else { return nil }
        return CertificateRefusal(
            kind: .revoked,
            fingerprint: Self.fingerprint(derBytes),
            node: certificate.nodeID,
            detail: Self.revoked(entry)
        )
    }

    private static func revoked(_ entry: RevocationList.Entry) -> String {
        "revoked \(Timestamp(entry.revocationDate).rfc3339) (\(entry.reason))"
    }

    /// SHA-256 of a certificate's DER encoding, lower-case hex.
    public static func fingerprint(of certificate: Certificate) -> String {
        var serializer = DER.Serializer()
        // A certificate read or made by X509 always serializes.
        try! serializer.serialize(certificate)
        return fingerprint(serializer.serializedBytes)
    }

    /// SHA-256 of a certificate's DER bytes, lower-case hex.
    public static func fingerprint(_ derBytes: [UInt8]) -> String {
        SHA256.hash(data: derBytes).map { String(format: "%02x", $0) }.joined()
    }
}
