import Crypto
import EIXMAudit
import EIXMCrypto
import EIXMModel
import EIXMTransport
import Foundation
import Logging

extension Router {
    /// Serves one node's connection for its lifetime: HELLO must name the certified node; then MESSAGE frames are
    /// read, verified here (off the actor) and routed, ACKs clear deliveries, and a writer task sends what the
    /// router queues for the node. A failure ends this connection only.
    public nonisolated func serve(_ connection: PeerConnection) async {
        let peer = connection.peer
        var frames = connection.inbound.makeAsyncIterator()
        let first: Frame?
        do {
            first = try await frames.next()
        } catch {
            logger.notice("connection closed before HELLO", metadata: ["node.id": "\(peer)", "reason": "\(error)"])
            return
        }
        guard case .hello(let claimed) = first else {
            await refuse(
                claimed: nil,
                certified: peer,
                reason: .authentication,
                detail: "the first frame was not HELLO"
            )
            try? await connection.outbound.send([.goodbye(reason: "expected HELLO")])
            await connection.outbound.close()
            return
        }
        guard claimed == peer else {
            await refuse(
                claimed: claimed,
                certified: peer,
                reason: .authentication,
                detail: "HELLO names \(claimed) but the certificate certifies \(peer)"
            )
            try? await connection.outbound.send([.goodbye(reason: "HELLO does not match the certificate")])
            await connection.outbound.close()
            return
        }
        guard !configuration.revoked.contains(peer) else {
            await refuse(
                claimed: claimed,
                certified: peer,
                reason: .revoked,
                detail: "the certificate of \(peer) is revoked"
            )
            try? await connection.outbound.send([.goodbye(reason: "certificate revoked")])
            await connection.outbound.close()
            return
        }
        let (link, waiting) = await attach(peer)
        let welcome = Frame.welcome(
            Frame.Welcome(
                router: configuration.identity,
                simulatedTime: clock.now,
                heartbeatMilliseconds: configuration.heartbeatMilliseconds,
                timeScale: clock.scale
            )
        )
        logger.info("node connected", metadata: ["node.id": "\(peer)", "waiting": "\(waiting.count)"])
        let outbound = connection.outbound
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                do {
                    try await outbound.send([welcome] + waiting)
                    try await link.frames.drain { batch in try await outbound.send(batch) }
                } catch {
                    link.frames.close()
                }
                await outbound.close()
            }
            do {
                while let frame = try await frames.next() {
                    await link.frames.waitForRoom()
                    switch frame {
                    case .message(let bytes):
                        await receive(bytes, from: peer)
                    case .receipt(let receipt):
                        await check(receipt, from: peer)
                    case .ack(let ack):
                        // A node acknowledges deliveries with a signed RECEIPT; only the router answers ACCEPTED. Say
                        // so, rather than leave the delivery waiting with no word why.
                        let text =
                            "a node acknowledges a delivery with a signed RECEIPT; ACK is the router's answer to a message"
                        link.frames.enqueue([
                            .nack(
                                Frame.Refusal(
                                    message: ack.message,
                                    reasons: [.init(rule: RouterCheck.protocolError.rawValue, text: text)]
                                )
                            )
                        ])
                    case .heartbeat:
                        link.frames.enqueue([.heartbeat])
                    case .goodbye:
                        break
                    default:
                        logger.notice("unexpected frame", metadata: ["node.id": "\(peer)", "frame": "\(frame.name)"])
                    }
                    if case .goodbye = frame { break }
                }
            } catch {
                logger.notice("connection closed", metadata: ["node.id": "\(peer)", "reason": "\(error)"])
            }
            await detach(link)
        }
        logger.info("node disconnected", metadata: ["node.id": "\(peer)"])
    }

    /// Checks a recipient's receipt off the actor: it must name the digests of the message delivered to it and be
    /// signed with its certified key. A receipt for a delivery not waiting (sent again) is ignored.
    nonisolated func check(_ receipt: DeliveryReceipt, from peer: NodeID) async {
        // The signature and the hex digests need no router state: worked out here, on the connection's task, so that
        // the actor only compares and records, in one hop.
        await settle(
            receipt,
            from: peer,
            verified: keys.verify(receipt, from: peer).isValid,
            headerDigest: AuditRecordFormat.hex(receipt.content.headerDigest),
            bodyDigest: AuditRecordFormat.hex(receipt.content.bodyDigest)
        )
    }

    /// The per-message work done off the actor: decode, authenticate the sender, verify the signature, digest.
    nonisolated func receive(_ bytes: [UInt8], from peer: NodeID) async {
        let started = ContinuousClock.now
        let envelope: Envelope
        do {
            envelope = try Envelope(wireBytes: bytes)
        } catch {
            await refuseUnjudged(
                id: UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
                header: nil,
                check: .malformed,
                detail: "\(error)",
                to: peer,
                started: started
            )
            return
        }
        let header = envelope.header
        guard header.sender == peer else {
            await refuseUnjudged(
                id: header.id,
                header: header,
                check: .authentication,
                detail: "the header names \(header.sender) as sender but the connection is certified for \(peer)",
                to: peer,
                started: started
            )
            return
        }
        let bodyDigest = SHA256.hash(data: envelope.body)
        let verdict = keys.verify(envelope, bodyDigest: bodyDigest)
        guard verdict.isValid else {
            await refuseUnjudged(
                id: header.id,
                header: header,
                check: .signature,
                detail: "\(verdict)",
                to: peer,
                started: started
            )
            return
        }
        let digests = MessageDigests(header: SHA256.hash(data: envelope.canonicalHeader), body: bodyDigest)
        await route(envelope, wire: bytes, digests: digests, from: peer, started: started)
    }
}
