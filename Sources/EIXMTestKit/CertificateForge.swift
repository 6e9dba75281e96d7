import Crypto
import EIXMCrypto
import EIXMModel
import Foundation
import X509

/// Certificates the exercise PKI would never issue, signed by its CA for tests of what the router refuses: a leaf
/// that is a CA, one without client auth, one without a node ID.
public enum CertificateForge {
    public enum Defect: Sendable, CaseIterable {
        /// Basic constraints CA:TRUE.
        case certificateAuthority
        /// Server auth only: no client-auth extended key usage.
        case serverOnly
        /// No `urn:eixm:node:` name.
        case noNodeID
    }

    /// A key and a certificate for `node` with `defect`, signed by `pki`'s CA.
    public static func forge(
        _ defect: Defect,
        node: NodeID,
        pki: ExercisePKI,
        now: Date = Date()
    ) throws -> (certificate: Certificate, key: Curve25519.Signing.PrivateKey) {
        let caKey = pki.caPrivateKey!
        let key = Curve25519.Signing.PrivateKey()
        let publicKey = Certificate.PublicKey(key.publicKey)
        let subject = try DistinguishedName {
            OrganizationName("eixm")
            CommonName(node.rawValue)
        }
        var names: [GeneralName] = [.dnsName(node.rawValue.lowercased())]
        if defect != .noNodeID { names.append(.uniformResourceIdentifier(Certificate.nodeIDURIPrefix + node.rawValue)) }
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: publicKey,
            notValidBefore: now.addingTimeInterval(-3600),
            notValidAfter: now.addingTimeInterval(3600),
            issuer: pki.caCertificate.subject,
            subject: subject,
            signatureAlgorithm: .ed25519,
            extensions: try Certificate.Extensions {
                if defect == .certificateAuthority {
                    Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                    Critical(KeyUsage(digitalSignature: true, keyCertSign: true))
                } else {
                    Critical(BasicConstraints.notCertificateAuthority)
                    Critical(KeyUsage(digitalSignature: true))
                }
                try ExtendedKeyUsage(defect == .serverOnly ? [.serverAuth] : [.serverAuth, .clientAuth])
                SubjectAlternativeNames(names)
                AuthorityKeyIdentifier(
                    keyIdentifier: try pki.caCertificate.extensions.subjectKeyIdentifier?.keyIdentifier
                )
            },
            issuerPrivateKey: Certificate.PrivateKey(caKey)
        )
        return (certificate, key)
    }
}
