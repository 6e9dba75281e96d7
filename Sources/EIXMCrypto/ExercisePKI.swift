import Crypto
import EIXMModel
import Foundation
import SwiftASN1
import X509

/// The exercise PKI: one CA, and for the router and every node an Ed25519 key and a certificate that binds the
/// node ID (SAN URI `urn:eixm:node:<ID>`, and the ID as common name).
///
/// Made in memory by ``generate(nodes:router:now:validity:)``, written to and read from a folder of PEM files
/// (`ExercisePKI+Files.swift`), and checked with ``validate(_:at:)``.
public struct ExercisePKI: Sendable {
    public let caCertificate: Certificate
    /// The CA key: present when the PKI was generated here or its folder holds `ca.key`.
    public let caPrivateKey: Curve25519.Signing.PrivateKey?
    /// Every node's certificate, the router's included.
    public private(set) var certificates: [NodeID: Certificate]
    /// The private keys at hand (all of them after ``generate(nodes:router:now:validity:)``).
    public private(set) var privateKeys: [NodeID: Curve25519.Signing.PrivateKey]
    /// The CA's revocation list (`crl.pem` in the folder), when one was issued.
    public var revocationList: RevocationList?

    /// The common name of the exercise CA.
    public static let caCommonName = "eixm exercise CA"
    /// The default lifetime of the certificates: one year.
    public static let defaultValidity: TimeInterval = 365 * 24 * 3600

    public init(
        caCertificate: Certificate,
        caPrivateKey: Curve25519.Signing.PrivateKey?,
        certificates: [NodeID: Certificate],
        privateKeys: [NodeID: Curve25519.Signing.PrivateKey],
        revocationList: RevocationList? = nil
    ) {
        self.caCertificate = caCertificate
        self.caPrivateKey = caPrivateKey
        self.certificates = certificates
        self.privateKeys = privateKeys
        self.revocationList = revocationList
    }

    /// A new CA and an identity for the router and each node. Certificates are valid from an hour before `now`
    /// (to absorb clock skew) for `validity` seconds.
    public static func generate(
        nodes: [NodeID] = NodeID.defaultExercise,
        router: NodeID = .router,
        now: Date = Date(),
        validity: TimeInterval = defaultValidity
    ) throws -> ExercisePKI {
        let caKey = Curve25519.Signing.PrivateKey()
        let caName = try DistinguishedName {
            OrganizationName("eixm")
            CommonName(caCommonName)
        }
        let caPublicKey = Certificate.PublicKey(caKey.publicKey)
        let ca = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: caPublicKey,
            notValidBefore: now.addingTimeInterval(-3600),
            notValidAfter: now.addingTimeInterval(validity),
            issuer: caName,
            subject: caName,
            signatureAlgorithm: .ed25519,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(hash: caPublicKey)
            },
            issuerPrivateKey: Certificate.PrivateKey(caKey)
        )
        var pki = ExercisePKI(caCertificate: ca, caPrivateKey: caKey, certificates: [:], privateKeys: [:])
        try pki.issue(for: router, dnsNames: [router.rawValue.lowercased(), "localhost"], now: now, validity: validity)
        for node in nodes where node != router {
            try pki.issue(for: node, dnsNames: [node.rawValue.lowercased()], now: now, validity: validity)
        }
        return pki
    }

    /// Issues a new key and certificate for `node` with the CA key, replacing any it had.
    public mutating func issue(
        for node: NodeID,
        dnsNames: [String],
        now: Date = Date(),
        validity: TimeInterval = defaultValidity
    ) throws {
        guard let caPrivateKey else {
            throw CredentialError(
                .unknownNode,
                subject: Self.caCommonName,
                "the CA private key is not available to issue certificates"
            )
        }
        let key = Curve25519.Signing.PrivateKey()
        let publicKey = Certificate.PublicKey(key.publicKey)
        let subject = try DistinguishedName {
            OrganizationName("eixm")
            CommonName(node.rawValue)
        }
        var names: [GeneralName] = [.uniformResourceIdentifier(Certificate.nodeIDURIPrefix + node.rawValue)]
        names += dnsNames.map { .dnsName($0) }
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: publicKey,
            notValidBefore: now.addingTimeInterval(-3600),
            notValidAfter: now.addingTimeInterval(validity),
            issuer: caCertificate.subject,
            subject: subject,
            signatureAlgorithm: .ed25519,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth, .clientAuth])
                SubjectAlternativeNames(names)
                SubjectKeyIdentifier(hash: publicKey)
                AuthorityKeyIdentifier(keyIdentifier: try caCertificate.extensions.subjectKeyIdentifier?.keyIdentifier)
            },
            issuerPrivateKey: Certificate.PrivateKey(caPrivateKey)
        )
        certificates[node] = certificate
        privateKeys[node] = key
    }

    /// Issues `node` a new key and certificate with the same names as its current one (`eixm pki renew`). The old
    /// certificate stays valid until it expires or is revoked.
    public mutating func renew(_ node: NodeID, now: Date = Date(), validity: TimeInterval = defaultValidity) throws {
        guard let current = certificates[node] else {
            throw CredentialError(.unknownNode, subject: node.rawValue, "the PKI holds no certificate for this node")
        }
        let dnsNames = (try? current.extensions.subjectAlternativeNames)?.compactMap { name -> String? in
            if case .dnsName(let dns) = name { return dns }
            return nil
        }
        try issue(for: node, dnsNames: dnsNames ?? [node.rawValue.lowercased()], now: now, validity: validity)
    }

    /// Revokes `node`'s current certificate: a new revocation list, numbered one above the last, with every entry
    /// of the last and this one, signed with the CA key.
    @discardableResult
    public mutating func revoke(
        _ node: NodeID,
        reason: RevocationReason,
        now: Date = Date()
    ) throws(CredentialError) -> RevocationList.Entry {
        guard let caPrivateKey else {
            throw CredentialError(
                .unknownNode,
                subject: Self.caCommonName,
                "the CA private key is not available to sign a revocation list"
            )
        }
        guard let certificate = certificates[node] else {
            throw CredentialError(.unknownNode, subject: node.rawValue, "the PKI holds no certificate for this node")
        }
        if let entry = revocationList?.entry(for: certificate.serialNumber) {
            throw CredentialError(
                .alreadyRevoked,
                subject: node.rawValue,
                "its certificate is already revoked (\(entry.reason), \(Timestamp(entry.revocationDate).rfc3339)); 'eixm pki renew' issues a new one"
            )
        }
        // A CRL holds whole seconds: the entry says what the list will say.
        let entry = RevocationList.Entry(
            serialNumber: certificate.serialNumber,
            revocationDate: Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down)),
            reason: reason
        )
        revocationList = try RevocationList.issue(
            by: caCertificate,
            key: caPrivateKey,
            number: (revocationList?.number ?? 0) + 1,
            entries: (revocationList?.entries ?? []) + [entry],
            now: now
        )
        return entry
    }

    /// The revocation of `node`'s current certificate, or `nil`.
    public func revocation(of node: NodeID) -> RevocationList.Entry? {
        certificates[node].flatMap { revocationList?.entry(for: $0.serialNumber) }
    }

    /// Every node with a certificate, sorted, the router included.
    public var nodes: [NodeID] { certificates.keys.sorted() }

    /// The identity of `node`, when both its certificate and its private key are at hand.
    public func identity(for node: NodeID) throws(CredentialError) -> NodeIdentity {
        guard let certificate = certificates[node] else {
            throw CredentialError(.unknownNode, subject: node.rawValue, "the PKI holds no certificate for this node")
        }
        guard let key = privateKeys[node] else {
            throw CredentialError(.unknownNode, subject: node.rawValue, "the PKI holds no private key for this node")
        }
        return try NodeIdentity(nodeID: node, privateKey: key, certificate: certificate)
    }

    /// The public keys of every certified node.
    public func keyDirectory() throws(CredentialError) -> KeyDirectory {
        try KeyDirectory(certificates: certificates.values)
    }
}
