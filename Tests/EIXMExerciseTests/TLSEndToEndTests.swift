import EIXMCrypto
import EIXMModel
import EIXMRouter
import EIXMTestKit
import EIXMTransport
import EIXMTransportNIO
import Foundation
import NIOCore
import NIOSSL
import Testing

@Suite("End to end over mutual TLS on 127.0.0.1", .timeLimit(.minutes(2)))
struct TLSEndToEndTests {
    @Test("a signed message goes from one node to another through the router")
    func exchange() async throws {
        let harness = try await TLSHarness.start()
        let header = harness.request(1)
        try await harness.running {
            try await harness.client(.spoc(.fr)).connect { franceConnection in
                try await franceConnection.outbound.send([.hello(node: .spoc(.fr))])
                var france = franceConnection.inbound.makeAsyncIterator()
                guard case .welcome = try await france.next() else { throw FrameError(.invalidValue, "no WELCOME") }
                try await harness.client(.spoc(.be)).connect { belgiumConnection in
                    try await belgiumConnection.outbound.send([.hello(node: .spoc(.be))])
                    var belgium = belgiumConnection.inbound.makeAsyncIterator()
                    guard case .welcome = try await belgium.next() else {
                        throw FrameError(.invalidValue, "no WELCOME")
                    }
                    let sealed = try harness.pki.identity(for: .spoc(.be)).seal(header, body: Array("over TLS".utf8))
                    try await belgiumConnection.outbound.send([.message(envelope: sealed.wireBytes())])
                    #expect(
                        try await belgium.next() == .ack(Frame.Acknowledgement(message: header.id, kind: .accepted))
                    )
                }
                guard case .delivery(let delivery) = try await france.next() else {
                    Issue.record("no delivery")
                    return
                }
                let envelope = try Envelope(wireBytes: delivery.envelope)
                #expect(envelope.header == header)
                #expect(try harness.pki.keyDirectory().verify(envelope) == .valid)
            }
        }
        #expect(await harness.router.snapshot().delivered == 1)
    }

    @Test("over mutual TLS a node is who its certificate says: a HELLO naming another node is refused with GOODBYE")
    func helloOfAnotherNode() async throws {
        let harness = try await TLSHarness.start()
        try await harness.running {
            /// The router's first frame to a node with Belgium's certificate saying HELLO as `node`.
            func answer(toHelloAs node: NodeID) async throws -> Frame? {
                var first: Frame?
                try await harness.client(.spoc(.be)).connect { connection in
                    try await connection.outbound.send([.hello(node: node)])
                    var frames = connection.inbound.makeAsyncIterator()
                    first = try await frames.next()
                }
                return first
            }
            guard case .goodbye = try await answer(toHelloAs: .spoc(.fr)) else {
                Issue.record("no GOODBYE for a HELLO naming another node")
                return
            }
            // The certificate's own node is welcomed on the same router.
            guard case .welcome = try await answer(toHelloAs: .spoc(.be)) else {
                Issue.record("no WELCOME for the certificate's own node")
                return
            }
        }
    }

    @Test(
        "a node given the router's host by name looks it up and is welcomed, as one given its address (connected to without a lookup)"
    )
    func hostByNameOrAddress() async throws {
        let harness = try await TLSHarness.start()
        try await harness.running {
            for host in ["localhost", "127.0.0.1"] {
                var welcomed = false
                try await harness.client(.spoc(.fr), host: host).connect { connection in
                    try await connection.outbound.send([.hello(node: .spoc(.fr))])
                    var frames = connection.inbound.makeAsyncIterator()
                    if case .welcome = try await frames.next() { welcomed = true }
                }
                #expect(welcomed, "no WELCOME when the router is given as \(host)")
            }
        }
    }

    @Test("a router host whose name does not resolve is said so, in words, with the host and port")
    func hostThatDoesNotResolve() async throws {
        let harness = try await TLSHarness.start()
        let client = try harness.client(.spoc(.fr), host: "no-such-router.invalid")
        do {
            try await client.connect { _ in Issue.record("connected to a name that does not resolve") }
        } catch let failure as TLSClient.ConnectFailure {
            #expect(
                failure.description
                    == "cannot connect to no-such-router.invalid:\(harness.server.port): the name does not resolve"
            )
        }
    }

    @Test(
        "a peer on whose connection nothing moves for the idle timeout is disconnected, while one that sends heartbeats stays",
        .timeLimit(.minutes(1))
    )
    func idlePeer() async throws {
        let harness = try await TLSHarness.start(idleTimeout: .seconds(2))
        try await harness.running {
            // On a machine so busy that the handshake takes the whole timeout, the talking peer too is closed before
            // its WELCOME: it connects again (a few times at most).
            for attempt in 1...5 {
                do {
                    try await talkingPeer(harness)
                    return
                } catch  where attempt < 5 {
                    continue
                }
            }
        }
    }

    private struct NoWelcome: Error {}

    private func talkingPeer(_ harness: TLSHarness) async throws {
        try await harness.client(.spoc(.be)).connect { talking in
            try await talking.outbound.send([.hello(node: .spoc(.be))])
            var talkingFrames = talking.inbound.makeAsyncIterator()
            guard case .welcome = try? await talkingFrames.next() else { throw NoWelcome() }
            // Silent after HELLO: the router closes the connection, which ends its frames. On a machine so busy
            // that setting up took the whole timeout, it closes even before WELCOME; a close without TLS
            // close_notify surfaces as an error. Either way the connection ends, and nothing but WELCOME came.
            var silentFrames: [Frame] = []
            let talkingOutbound = talking.outbound
            // The heartbeats stop when asked, never by cancellation: a write cancelled midway closes its channel.
            let silentEnded = Flag()
            await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    while !silentEnded.isSet {
                        try await talkingOutbound.send([.heartbeat])
                        try await Task.sleep(for: .milliseconds(150))
                    }
                }
                do {
                    try await harness.client(.spoc(.fr)).connect { silent in
                        try await silent.outbound.send([.hello(node: .spoc(.fr))])
                        var frames = silent.inbound.makeAsyncIterator()
                        while let frame = try await frames.next() { silentFrames.append(frame) }
                    }
                } catch {}
                silentEnded.set()
            }
            #expect(silentFrames.allSatisfy { if case .welcome = $0 { true } else { false } }, "\(silentFrames)")
            // The peer that kept talking is still served after the silent one was closed: a request is answered.
            let header = harness.request(40)
            let sealed = try harness.pki.identity(for: .spoc(.be)).seal(header, body: Array("still here".utf8))
            try await talking.outbound.send([.message(envelope: sealed.wireBytes())])
            var answer: Frame?
            while let frame = try await talkingFrames.next() {
                if case .heartbeat = frame { continue }
                answer = frame
                break
            }
            #expect(answer == .ack(Frame.Acknowledgement(message: header.id, kind: .accepted)))
        }
    }

    @Test("a certificate from another CA is refused at the handshake")
    func foreignCertificate() async throws {
        let harness = try await TLSHarness.start()
        let foreign = try ExercisePKI.generate(nodes: [.spoc(.be)])
        try await harness.running {
            var welcomed = false
            do {
                try await harness.client(.spoc(.be), pki: foreign).connect { connection in
                    try await connection.outbound.send([.hello(node: .spoc(.be))])
                    var frames = connection.inbound.makeAsyncIterator()
                    if case .welcome = try await frames.next() { welcomed = true }
                }
            } catch {
                // The handshake alert surfaces as an error: expected.
            }
            #expect(!welcomed)
        }
        #expect(await harness.router.snapshot().connectedNodes.isEmpty)
    }

    @Test("no client certificate, and TLS 1.2, are refused at the handshake")
    func handshakeRefusals() async throws {
        let harness = try await TLSHarness.start()
        let credentials = TLSCredentials(
            identity: try harness.pki.identity(for: .spoc(.be)),
            trustRoot: harness.pki.caCertificate
        )
        try await harness.running {
            var noCertificate = try credentials.clientConfiguration()
            noCertificate.certificateChain = []
            noCertificate.privateKey = nil
            let anonymous = try await harness.raw(noCertificate, writing: TLSHarness.helloBytes(.spoc(.be)))
            #expect(anonymous.received.isEmpty)
            var oldTLS = try credentials.clientConfiguration()
            oldTLS.minimumTLSVersion = .tlsv12
            oldTLS.maximumTLSVersion = .tlsv12
            let old = try await harness.raw(oldTLS, writing: TLSHarness.helloBytes(.spoc(.be)))
            #expect(old.received.isEmpty)
            #expect(old.error != nil)
        }
        #expect(await harness.router.snapshot().connectedNodes.isEmpty)
    }

    @Test(
        "garbage, an oversized length prefix and an unknown frame type close that connection; others keep working",
        arguments: [
            [UInt8](repeating: 0xFF, count: 64),
            [0x7F, 0xFF, 0xFF, 0xFF, 1, 2, 3],
            [0, 0, 0, 1, 0x42],
        ]
    )
    func badPeers(bytes: [UInt8]) async throws {
        let harness = try await TLSHarness.start()
        let credentials = TLSCredentials(
            identity: try harness.pki.identity(for: .spoc(.de)),
            trustRoot: harness.pki.caCertificate
        )
        try await harness.running {
            try await harness.client(.spoc(.be)).connect { connection in
                try await connection.outbound.send([.hello(node: .spoc(.be))])
                var belgium = connection.inbound.makeAsyncIterator()
                guard case .welcome = try await belgium.next() else { throw FrameError(.invalidValue, "no WELCOME") }
                // A second node sends garbage after its HELLO: its connection is closed.
                let bad = try await harness.raw(
                    try credentials.clientConfiguration(),
                    writing: TLSHarness.helloBytes(.spoc(.de)) + bytes
                )
                #expect(bad.received.count < 200, "the bad peer got at most its WELCOME before the close")
                // The first connection still routes.
                let header = harness.request(2)
                let sealed = try harness.pki.identity(for: .spoc(.be)).seal(header, body: [])
                try await connection.outbound.send([.message(envelope: sealed.wireBytes())])
                #expect(try await belgium.next() == .ack(Frame.Acknowledgement(message: header.id, kind: .accepted)))
            }
        }
    }
}

/// A flag one task sets and another reads.
final class Flag: Sendable {
    private let value = Locked(false)

    var isSet: Bool { value.withLock { $0 } }

    func set() { value.withLock { $0 = true } }
}
