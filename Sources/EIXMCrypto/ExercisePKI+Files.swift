import Crypto
import CryptoExtras
import EIXMModel
import Foundation
import SwiftASN1
import X509

// A PKI folder holds PEM files:
//   ca.pem          the exercise CA certificate
//   ca.key          the CA private key (PKCS#8), mode 0600
//   <NODE-ID>.pem   a node's certificate (the router's is EIXM-ROUTER.pem)
//   <NODE-ID>.key   a node's private key (PKCS#8), mode 0600
//   crl.pem         the CA's certificate revocation list, once a certificate was revoked

extension ExercisePKI {
    public static let caCertificateFile = "ca.pem"
    public static let caKeyFile = "ca.key"
    public static let revocationListFile = "crl.pem"

    /// Writes the PKI as PEM files into `directory`, creating it if needed. Refuses, touching nothing, when the
    /// folder already holds an exercise CA, unless `force` is set; then the folder's `.pem` and `.key` files are
    /// replaced.
    public func write(to directory: URL, force: Bool = false) throws(CredentialError) {
        let files = FileManager.default
        let caPath = directory.appendingPathComponent(Self.caCertificateFile).path
        let caKeyPath = directory.appendingPathComponent(Self.caKeyFile).path
        if !force, files.fileExists(atPath: caPath) || files.fileExists(atPath: caKeyPath) {
            throw CredentialError(
                .pkiExists,
                subject: directory.path,
                "already holds an exercise PKI (\(Self.caCertificateFile)); nothing was changed. Use --force to replace it"
            )
        }
        try Self.fileAccess(directory.path) {
            try files.createDirectory(at: directory, withIntermediateDirectories: true)
            if force {
                for name in try files.contentsOfDirectory(atPath: directory.path)
                where name.hasSuffix(".pem") || name.hasSuffix(".key") {
                    try files.removeItem(at: directory.appendingPathComponent(name))
                }
            }
        }
        try Self.writeFile(caPath, try Self.pem(caCertificate), secret: false)
        if let caPrivateKey {
            try Self.writeFile(caKeyPath, caPrivateKey.pemRepresentation, secret: true)
        }
        for node in Set(certificates.keys).union(privateKeys.keys) {
            try writeIdentity(of: node, to: directory)
        }
        try writeRevocationList(to: directory)
    }

    /// Writes the CA certificate and the certificates of `nodes`, never a private key, into `directory` (replacing
    /// what it held): what a run folder keeps (`certificates/`) so that its audit log can be checked against the
    /// router's certified key after the run, even when the PKI was made for the run and is gone.
    public func writeCertificates(of nodes: [NodeID], to directory: URL) throws(CredentialError) {
        let kept = ExercisePKI(
            caCertificate: caCertificate,
            caPrivateKey: nil,
            certificates: certificates.filter { nodes.contains($0.key) },
            privateKeys: [:],
            revocationList: nil
        )
        try kept.write(to: directory, force: true)
    }

    /// Writes `node`'s certificate and key (what it has of them) into the folder, replacing the old ones.
    public func writeIdentity(of node: NodeID, to directory: URL) throws(CredentialError) {
        if let certificate = certificates[node] {
            try Self.writeFile(
                directory.appendingPathComponent(node.rawValue + ".pem").path,
                try Self.pem(certificate),
                secret: false
            )
        }
        if let key = privateKeys[node] {
            try Self.writeFile(
                directory.appendingPathComponent(node.rawValue + ".key").path,
                key.pemRepresentation,
                secret: true
            )
        }
    }

    /// Writes the revocation list (when there is one) to `crl.pem`.
    public func writeRevocationList(to directory: URL) throws(CredentialError) {
        guard let revocationList else { return }
        try Self.writeFile(
            directory.appendingPathComponent(Self.revocationListFile).path,
            revocationList.pemString,
            secret: false
        )
    }

    /// Reads the revocation list of a PKI folder: `nil` when there is none; an error when it cannot be read or is
    /// not signed by `ca`.
    public static func loadRevocationList(
        from directory: URL,
        ca: Certificate
    ) throws(CredentialError) -> RevocationList? {
        let path = directory.appendingPathComponent(revocationListFile).path
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let list: RevocationList
        do {
            list = try RevocationList(pemEncoded: try readText(path))
        } catch {
            throw CredentialError(error.code, subject: path, error.detail)
        }
        guard list.isIssued(by: ca) else {
            throw CredentialError(
                .malformedCredential,
                subject: path,
                "the revocation list is not signed by this PKI's CA"
            )
        }
        return list
    }

    /// Reads a PKI folder written by ``write(to:force:)``. Every certificate must bind the node ID its file is
    /// named after; keys are optional (a node's process needs only its own).
    public static func load(from directory: URL) throws(CredentialError) -> ExercisePKI {
        let caPath = directory.appendingPathComponent(caCertificateFile).path
        guard FileManager.default.fileExists(atPath: caPath) else {
            throw CredentialError(
                .fileAccess,
                subject: directory.path,
                "no \(caCertificateFile) here: not an exercise PKI folder (make one with 'eixm pki init --out \(directory.path)')"
            )
        }
        let ca = try readCertificate(caPath)
        let caKeyPath = directory.appendingPathComponent(caKeyFile).path
        let caKey = FileManager.default.fileExists(atPath: caKeyPath) ? try readKey(caKeyPath) : nil
        var certificates: [NodeID: Certificate] = [:]
        var keys: [NodeID: Curve25519.Signing.PrivateKey] = [:]
        let names = try fileAccess(directory.path) {
            try FileManager.default.contentsOfDirectory(atPath: directory.path)
        }
        for name in names.sorted() where name != caCertificateFile && name != caKeyFile && name != revocationListFile {
            let path = directory.appendingPathComponent(name).path
            if name.hasSuffix(".pem") {
                let certificate = try readCertificate(path)
                let expected = String(name.dropLast(4))
                guard let node = certificate.nodeID, node.rawValue == expected else {
                    throw CredentialError(
                        .credentialMismatch,
                        subject: path,
                        "the certificate binds \(certificate.nodeID?.rawValue ?? "no node ID"), not \(expected)"
                    )
                }
                certificates[node] = certificate
            } else if name.hasSuffix(".key") {
                guard let node = NodeID(String(name.dropLast(4))) else {
                    throw CredentialError(.malformedCredential, subject: path, "the file name is not a node ID")
                }
                keys[node] = try readKey(path)
            }
        }
        return ExercisePKI(
            caCertificate: ca,
            caPrivateKey: caKey,
            certificates: certificates,
            privateKeys: keys,
            revocationList: try loadRevocationList(from: directory, ca: ca)
        )
    }

    private static func pem(_ certificate: Certificate) throws(CredentialError) -> String {
        do {
            return try certificate.serializeAsPEM().pemString
        } catch {
            throw CredentialError(
                .malformedCredential,
                subject: "\(certificate.subject)",
                "cannot encode the certificate",
                cause: error
            )
        }
    }

    private static func readCertificate(_ path: String) throws(CredentialError) -> Certificate {
        let text = try readText(path)
        do {
            return try Certificate(pemEncoded: text)
        } catch {
            throw CredentialError(.malformedCredential, subject: path, "not a PEM certificate", cause: error)
        }
    }

    private static func readKey(_ path: String) throws(CredentialError) -> Curve25519.Signing.PrivateKey {
        let text = try readText(path)
        do {
            return try Curve25519.Signing.PrivateKey(pemRepresentation: text)
        } catch {
            throw CredentialError(
                .malformedCredential,
                subject: path,
                "not a PEM Ed25519 private key (PKCS#8)",
                cause: error
            )
        }
    }

    private static func readText(_ path: String) throws(CredentialError) -> String {
        try fileAccess(path) { try String(contentsOfFile: path, encoding: .utf8) }
    }

    /// Writes a file; a secret one is created with mode 0600 before any byte is written.
    private static func writeFile(_ path: String, _ text: String, secret: Bool) throws(CredentialError) {
        let mode: mode_t = secret ? 0o600 : 0o644
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode)
        guard descriptor >= 0 else {
            throw CredentialError(.fileAccess, subject: path, "cannot create: \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        guard fchmod(descriptor, mode) == 0 else {
            throw CredentialError(.fileAccess, subject: path, "cannot set mode: \(String(cString: strerror(errno)))")
        }
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
            guard written > 0 else {
                throw CredentialError(.fileAccess, subject: path, "cannot write: \(String(cString: strerror(errno)))")
            }
            bytes = bytes.dropFirst(written)
        }
    }

    private static func fileAccess<Value>(_ path: String, _ body: () throws -> Value) throws(CredentialError) -> Value {
        do {
            return try body()
        } catch {
            throw CredentialError(.fileAccess, subject: path, "cannot access", cause: error)
        }
    }
}
