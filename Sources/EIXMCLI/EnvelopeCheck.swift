import EIXMCrypto
import EIXMModel
import Foundation

/// The full check of a received envelope against a PKI: the sender's certificate must chain to the CA, then the
/// signature must verify with its key.
enum EnvelopeCheck: Equatable, CustomStringConvertible {
    case valid(NodeID, fingerprint: String)
    case untrustedCertificate(NodeID, String)
    case signature(SignatureVerdict)

    var isValid: Bool {
        if case .valid = self { return true }
        return false
    }

    static func check(_ envelope: Envelope, against pki: ExercisePKI, at time: Date = Date()) async -> EnvelopeCheck {
        let sender = envelope.header.sender
        guard let certificate = pki.certificates[sender] else { return .signature(.unknownSender(sender)) }
        if case .refused(let reason) = await pki.validate(certificate, at: time) {
            return .untrustedCertificate(sender, reason)
        }
        let verdict = (try? KeyDirectory(certificates: [certificate]))?.verify(envelope) ?? .unknownSender(sender)
        guard verdict.isValid else { return .signature(verdict) }
        let fingerprint = (try? CertificateSummary(certificate).fingerprint) ?? "?"
        return .valid(sender, fingerprint: fingerprint)
    }

    var description: String {
        switch self {
        case .valid(let node, let fingerprint): "valid signature by \(node) (certificate SHA-256 \(fingerprint))"
        case .untrustedCertificate(let node, let reason): "untrusted certificate for \(node): \(reason)"
        case .signature(let verdict): "\(verdict)"
        }
    }
}
