import Crypto
import EIXMModel
import Foundation
import SwiftASN1
import X509

/// What a person wants to see of a certificate: subject, issuer, names, validity and SHA-256 fingerprint.
public struct CertificateSummary: Sendable, Hashable {
    public let nodeID: NodeID?
    public let subject: String
    public let issuer: String
    public let alternativeNames: [String]
    public let notValidBefore: Date
    public let notValidAfter: Date
    /// SHA-256 of the DER encoding, as colon-separated upper-case hex.
    public let fingerprint: String
    public let isCertificateAuthority: Bool

    public init(_ certificate: Certificate) throws(CredentialError) {
        nodeID = certificate.nodeID
        subject = "\(certificate.subject)"
        issuer = "\(certificate.issuer)"
        var names: [String] = []
        for name in (try? certificate.extensions.subjectAlternativeNames) ?? SubjectAlternativeNames() {
            switch name {
            case .dnsName(let dns): names.append("DNS:\(dns)")
            case .uniformResourceIdentifier(let uri): names.append("URI:\(uri)")
            default: names.append("\(name)")
            }
        }
        alternativeNames = names
        notValidBefore = certificate.notValidBefore
        notValidAfter = certificate.notValidAfter
        var serializer = DER.Serializer()
        do {
            try serializer.serialize(certificate)
        } catch {
            throw CredentialError(.malformedCredential, subject: subject, "cannot encode the certificate", cause: error)
        }
        fingerprint = SHA256.hash(data: serializer.serializedBytes).map { String(format: "%02X", $0) }.joined(
            separator: ":"
        )
        if case .isCertificateAuthority = (try? certificate.extensions.basicConstraints) ?? .notCertificateAuthority {
            isCertificateAuthority = true
        } else {
            isCertificateAuthority = false
        }
    }
}
