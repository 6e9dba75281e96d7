import Foundation
@_spi(FixedExpiryValidationTime) import X509

extension ExercisePKI {
    /// Checks a node certificate against this PKI's CA: signature chain, validity period and extensions under
    /// RFC 5280, and a bound node ID. A certificate made by another CA is refused.
    public func validate(_ certificate: Certificate, at time: Date = Date()) async -> TrustVerdict {
        guard let node = certificate.nodeID else { return .refused("the certificate binds no node ID") }
        guard certificate != caCertificate else { return .refused("the CA certificate is not a node certificate") }
        var verifier = Verifier(rootCertificates: CertificateStore([caCertificate])) {
            RFC5280Policy(fixedExpiryValidationTime: time)
        }
        switch await verifier.validate(leaf: certificate, intermediates: CertificateStore()) {
        case .validCertificate:
            return .trusted(node)
        case .couldNotValidate(let failures):
            let reasons = failures.map { "\($0.policyFailureReason)" }
            return .refused(
                reasons.isEmpty ? "no chain to the exercise CA '\(caCertificate.subject)'" : reasons.joined(separator: "; ")
            )
        }
    }
}
