import Crypto
import EIXMAudit
import EIXMCrypto
import EIXMModel
import Foundation
import X509

/// What an audit command finds from the folder it is given: a run folder (`eixm exercise --out`, `eixm router
/// --out`) or its `audit/` folder. A run folder also keeps the router's latest signed tree head (`tree-head.json`)
/// and the router's and CA's certificates (`certificates/`), which `verify` uses unless told otherwise.
struct RunAuditFolder {
    let audit: URL
    /// The run folder around the log, when there is one.
    let run: URL?

    init(_ path: String) throws {
        let given = URL(fileURLWithPath: path)
        let files = FileManager.default
        var isDirectory: ObjCBool = false
        guard files.fileExists(atPath: given.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CommandError("\(path): no such folder")
        }
        let inner = given.appendingPathComponent("audit")
        if files.fileExists(atPath: inner.path, isDirectory: &isDirectory), isDirectory.boolValue {
            audit = inner
            run = given
        } else {
            let names = (try? files.contentsOfDirectory(atPath: given.path)) ?? []
            guard names.contains(where: { $0.hasPrefix("audit-") && $0.hasSuffix(".jsonl") }) else {
                throw CommandError(
                    "\(path) holds no audit log: no audit-NNNNNN.jsonl segment and no audit/ folder (give a run folder or its audit/ folder)"
                )
            }
            audit = given
            let parent = given.deletingLastPathComponent()
            let runFiles = ["tree-head.json", "certificates"]
            run = runFiles.contains { files.fileExists(atPath: parent.appendingPathComponent($0).path) } ? parent : nil
        }
    }

    /// The run's witness file, when it has one.
    var treeHeadFile: URL? {
        run.map { $0.appendingPathComponent("tree-head.json") }.flatMap {
            FileManager.default.fileExists(atPath: $0.path) ? $0 : nil
        }
    }

    /// The run's certificates folder, when it has one.
    var certificates: URL? {
        run.map { $0.appendingPathComponent("certificates") }.flatMap {
            FileManager.default.fileExists(atPath: $0.appendingPathComponent(ExercisePKI.caCertificateFile).path)
                ? $0 : nil
        }
    }

    /// The router's Ed25519 key from the PKI folder `pki`, or else from the run's certificates, with the folder it
    /// came from.
    func routerKey(pki: String?) async throws -> (key: Curve25519.Signing.PublicKey, from: URL)? {
        guard let folder = pki.map({ URL(fileURLWithPath: $0) }) ?? certificates else { return nil }
        guard let key = try await Self.certifiedRouterKey(in: folder) else {
            throw CommandError("\(folder.path): no \(NodeID.router.rawValue) certificate")
        }
        return (key, folder)
    }

    /// The Ed25519 key of the EIXM-ROUTER certificate of a PKI (or certificates) folder, which must chain to that
    /// folder's CA; nil when the folder holds no router certificate.
    static func certifiedRouterKey(in folder: URL) async throws -> Curve25519.Signing.PublicKey? {
        let loaded = try ExercisePKI.load(from: folder)
        guard let certificate = loaded.certificates[.router] else { return nil }
        if case .refused(let reason) = await loaded.validate(certificate) {
            throw CommandError(
                "\(folder.path): the \(NodeID.router.rawValue) certificate is not certified by its CA: \(reason)"
            )
        }
        guard let key = try KeyDirectory(certificates: [certificate]).key(for: .router) else {
            throw CommandError("\(folder.path): the \(NodeID.router.rawValue) certificate holds no Ed25519 key")
        }
        return key
    }

    /// The keys of every node certificate in the folder that its CA certified (the others are left out: a receipt
    /// signed by such a node does not verify).
    static func certifiedKeys(in folder: URL) async throws -> KeyDirectory {
        let loaded = try ExercisePKI.load(from: folder)
        var certified: [Certificate] = []
        for (_, certificate) in loaded.certificates.sorted(by: { $0.key < $1.key }) {
            if case .trusted = await loaded.validate(certificate) { certified.append(certificate) }
        }
        return try KeyDirectory(certificates: certified)
    }
}
