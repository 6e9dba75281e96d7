import EIXMCrypto
import EIXMModel
import NIOCore
import NIOSSL
import SwiftASN1
import X509

/// A node's TLS identity and the exercise CA it trusts, as NIOSSL wants them: TLS 1.3 only, mutual
/// authentication, Ed25519 listed for signing and verifying on both sides (without it the handshake fails with no
/// common algorithm).
public struct TLSCredentials: Sendable {
    public let identity: NodeIdentity
    public let trustRoot: Certificate

    public init(identity: NodeIdentity, trustRoot: Certificate) {
        self.identity = identity
        self.trustRoot = trustRoot
    }

    /// The server hostname a client checks the router's certificate against: the router's node ID, lower case
    /// (a DNS name in its certificate). An IP address cannot serve as SNI.
    public static func serverName(for router: NodeID) -> String { router.rawValue.lowercased() }

    public func serverConfiguration() throws -> TLSConfiguration {
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: [.certificate(try nioCertificate(identity.certificate))],
            privateKey: .privateKey(try nioKey())
        )
        try harden(&configuration)
        configuration.certificateVerification = .noHostnameVerification
        return configuration
    }

    public func clientConfiguration() throws -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateChain = [.certificate(try nioCertificate(identity.certificate))]
        configuration.privateKey = .privateKey(try nioKey())
        try harden(&configuration)
        configuration.certificateVerification = .fullVerification
        return configuration
    }

    private func harden(_ configuration: inout TLSConfiguration) throws {
        configuration.minimumTLSVersion = .tlsv13
        configuration.maximumTLSVersion = .tlsv13
        configuration.trustRoots = .certificates([try nioCertificate(trustRoot)])
        configuration.signingSignatureAlgorithms = [.ed25519]
        configuration.verifySignatureAlgorithms = [.ed25519]
        // A peer that does not answer our close_notify within a second (frozen, gone, partitioned) is cut: closing
        // never holds a connection, or a command stopping, for NIOSSL's default five seconds.
        configuration.shutdownTimeout = .seconds(1)
    }

    private func nioCertificate(_ certificate: Certificate) throws -> NIOSSLCertificate {
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        return try NIOSSLCertificate(bytes: serializer.serializedBytes, format: .der)
    }

    private func nioKey() throws -> NIOSSLPrivateKey {
        try NIOSSLPrivateKey(bytes: Array(identity.privateKeyPEM.utf8), format: .pem)
    }
}
