import Foundation
@_spi(FixedExpiryValidationTime) import X509

extension ExercisePKI {
    /// Checks a node certificate against this PKI's CA: signature chain, validity period and extensions under
    /// RFC 5280, and a bound node ID. A certificate made by another CA is refused.
    public func validate(_ certificate: Certificate, at time: Date = Date()) async -> TrustVerdict {
        guard let node = certificate.nodeID else { return .refused("the certificate binds no node ID") }
        guard certificate != caCertificate else { return .refused("the CA certificate is not a node certificate") }
        if let problem = await Self.pathProblem(certificate, root: caCertificate, at: time) { return .refused(problem) }
        return .trusted(node)
    }

    /// Why `certificate` has no valid path to `root` at `time` under RFC 5280 (signatures, validity periods,
    /// extensions), or `nil` when it has one.
    static func pathProblem(_ certificate: Certificate, root: Certificate, at time: Date) async -> String? {
        var verifier = Verifier(rootCertificates: CertificateStore([root])) {
            RFC5280Policy(fixedExpiryValidationTime: time)
        }
        switch await verifier.validate(leaf: certificate, intermediates: CertificateStore()) {
        case .validCertificate:
            return nil
        case .couldNotValidate(let failures):
            let reasons = failures.map { "\($0.policyFailureReason)" }
            return reasons.isEmpty ? "no chain to the exercise CA '\(root.subject)'" : reasons.joined(separator: "; ")
        }
    }
}
