import Crypto
import EIXMAudit
import EIXMCrypto
import EIXMModel
import EIXMRouter
import EIXMRules
import EIXMTestKit
import EIXMTransport
import EIXMTransportNIO
import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import SwiftASN1
import X509

/// A router serving real mutual TLS on 127.0.0.1 (port 0, read back), with a PKI for a few nodes.
struct TLSHarness {
    let pki: ExercisePKI
    let audit: InMemoryAuditLog
    let router: Router
    let server: TLSServer
    let gate: CertificateGate
    /// Each certificate refused at the handshake, once the router has audited it.
    let refusals: AsyncStream<CertificateRefusal>

    static let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    static func start(
        idleTimeout: Duration = .seconds(30),
        limits: ConnectionLimits = ConnectionLimits()
    ) async throws -> TLSHarness {
        let pki = try ExercisePKI.generate(nodes: [.spoc(.be), .spoc(.fr), .spoc(.de)])
        let audit = InMemoryAuditLog()
        let router = Router(
            configuration: RouterConfiguration(),
            rules: RulesEngine(configuration: .builtIn()),
            keys: try pki.keyDirectory(),
            clock: ManualClock(),
            audit: audit,
            logger: quiet
        )
        let gate = CertificateGate(trustRoot: pki.caCertificate, router: .router)
        let (refusals, audited) = AsyncStream<CertificateRefusal>.makeStream()
        let server = try await TLSServer.bind(
            host: "127.0.0.1",
            port: 0,
            credentials: TLSCredentials(identity: try pki.identity(for: .router), trustRoot: pki.caCertificate),
            gate: gate,
            idleTimeout: idleTimeout,
            limits: limits,
            logger: quiet,
            certificateRefused: { refusal, address in
                Task {
                    await router.refuseCertificate(refusal, address: address)
                    audited.yield(refusal)
                }
            }
        )
        return TLSHarness(pki: pki, audit: audit, router: router, server: server, gate: gate, refusals: refusals)
    }

    private init(
        pki: ExercisePKI,
        audit: InMemoryAuditLog,
        router: Router,
        server: TLSServer,
        gate: CertificateGate,
        refusals: AsyncStream<CertificateRefusal>
    ) {
        self.pki = pki
        self.audit = audit
        self.router = router
        self.server = server
        self.gate = gate
        self.refusals = refusals
    }

    /// A client configuration presenting `certificate` and `key` (which need not be anything the PKI issued).
    func clientConfiguration(certificate: Certificate, key: Curve25519.Signing.PrivateKey) throws -> TLSConfiguration {
        var configuration = try TLSCredentials(
            identity: try pki.identity(for: .spoc(.be)),
            trustRoot: pki.caCertificate
        ).clientConfiguration()
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        configuration.certificateChain = [
            .certificate(try NIOSSLCertificate(bytes: serializer.serializedBytes, format: .der))
        ]
        configuration.privateKey = .privateKey(
            try NIOSSLPrivateKey(
                bytes: Array(try Certificate.PrivateKey(key).serializeAsPEM().pemString.utf8),
                format: .pem
            )
        )
        return configuration
    }

    func running(_ body: () async throws -> Void) async throws {
        let router = self.router
        let server = self.server
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.serve { await router.serve($0) } }
            try await body()
            group.cancelAll()
        }
    }

    func client(_ node: NodeID, pki: ExercisePKI? = nil, host: String = "127.0.0.1") throws -> TLSClient {
        let pki = pki ?? self.pki
        return try TLSClient(
            host: host,
            port: server.port,
            credentials: TLSCredentials(identity: try pki.identity(for: node), trustRoot: self.pki.caCertificate)
        )
    }

    func request(_ index: UInt8) -> Header {
        var header = SampleMessages.request()
        header.id = SampleMessages.id(index)
        header.language = .english
        header.copyToEuropol = false
        header.copyToEuropolReason = "not linked"
        return header
    }

    /// Opens a raw TLS connection with `configuration`, writes `bytes`, and returns what came back before the
    /// connection closed (or the error that closed it).
    func raw(
        _ configuration: TLSConfiguration,
        writing bytes: [UInt8]
    ) async throws -> (received: [UInt8], error: (any Error)?) {
        let context = try NIOSSLContext(configuration: configuration)
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: server.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        NIOSSLClientHandler(context: context, serverHostname: "eixm-router")
                    )
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        var received: [UInt8] = []
        do {
            try await channel.executeThenClose { inbound, outbound in
                try await outbound.write(ByteBuffer(bytes: bytes))
                for try await buffer in inbound { received += Array(buffer.readableBytesView) }
            }
            return (received, nil)
        } catch {
            return (received, error)
        }
    }

    /// A HELLO frame on the wire, for raw connections.
    static func helloBytes(_ node: NodeID) -> [UInt8] {
        let payload = Frame.hello(node: node).payload()
        return withUnsafeBytes(of: UInt32(payload.count).bigEndian, Array.init) + payload
    }
}
