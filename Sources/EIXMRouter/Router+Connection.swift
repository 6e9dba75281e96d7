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
        // The checks before the WELCOME live in their own function: a task keeps its function's frame (every local
        // kept across an await) for the connection's whole life, and the router has 10,000 of them.
        guard let (link, first) = await welcome(connection, frames: &frames) else { return }
        let outbound = connection.outbound
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                do {
                    try await outbound.send(first)
                    try await link.frames.drain { batch in try await outbound.send(batch) }
                } catch {
                    link.frames.close()
                }
                await outbound.close()
            }
            do {
                while let batch = try await frames.nextBatch() {
                    await link.frames.waitForRoom()
                    guard await handle(batch, from: peer, link: link) else { break }
                }
            } catch {
                logger.notice("connection closed", metadata: ["node.id": "\(peer)", "reason": "\(error)"])
            }
            await detach(link)
        }
        logger.info("node disconnected", metadata: ["node.id": "\(peer)"])
    }

    /// Reads the connection's HELLO and checks it against the certified node: a HELLO naming another node, any other
    /// first frame and a revoked node are refused (audited, answered GOODBYE, closed). Returns the node's link and
    /// the first frames to send it (WELCOME and the deliveries waiting), or nil when the connection is refused or
    /// gone.
    private nonisolated func welcome(
        _ connection: PeerConnection,
        frames: inout FrameInbound.AsyncIterator
    ) async -> (Link, [Frame])? {
        let peer = connection.peer
        let first: Frame?
        do {
            first = try await frames.next()
        } catch {
            logger.notice("connection closed before HELLO", metadata: ["node.id": "\(peer)", "reason": "\(error)"])
            return nil
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
            return nil
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
            return nil
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
            return nil
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
        return (link, [welcome] + waiting)
    }

    /// Handles the frames of one read, in order: a run of messages is verified here and routed in one hop through
    /// the actor, a run of receipts checked here and settled in one hop. Returns `false` after a GOODBYE.
    nonisolated func handle(_ batch: [Frame], from peer: NodeID, link: Link) async -> Bool {
        var index = batch.startIndex
        while index < batch.endIndex {
            switch batch[index] {
            case .message:
                let messages = Self.run(of: batch, from: &index) { frame -> [UInt8]? in
                    guard case .message(let bytes) = frame else { return nil }
                    return bytes
                }
                await receive(messages, from: peer)
                continue
            case .receipt:
                let receipts = Self.run(of: batch, from: &index) { frame -> DeliveryReceipt? in
                    guard case .receipt(let receipt) = frame else { return nil }
                    return receipt
                }
                await check(receipts, from: peer)
                continue
            case .ack(let ack):
                // A node acknowledges deliveries with a signed RECEIPT; only the router answers ACCEPTED. Say so,
                // rather than leave the delivery waiting with no word why.
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
                return false
            case let frame:
                logger.notice("unexpected frame", metadata: ["node.id": "\(peer)", "frame": "\(frame.name)"])
            }
            index += 1
        }
        return true
    }

    /// At most this many messages (or receipts) of one read are verified before they are routed together: a bound
    /// on how long the first of them waits for the others.
    static let routedTogether = 16

    /// The frames of `batch` from `index` on that `take` takes (a run of one kind), at most ``routedTogether``;
    /// `index` moves past them.
    private static func run<Item>(of batch: [Frame], from index: inout Int, _ take: (Frame) -> Item?) -> [Item] {
        var items: [Item] = []
        while index < batch.endIndex, items.count < routedTogether, let item = take(batch[index]) {
            items.append(item)
            index += 1
        }
        return items
    }

    /// Checks recipients' receipts off the actor: each must name the digests of the message delivered to it and be
    /// signed with its certified key. A receipt for a delivery not waiting (sent again) is ignored.
    nonisolated func check(_ receipts: [DeliveryReceipt], from peer: NodeID) async {
        // The signatures and the hex digests need no router state: worked out here, on the connection's task, so that
        // the actor only compares and records, in one hop for all of them.
        let checked = receipts.map { receipt in
            CheckedReceipt(
                receipt: receipt,
                verified: receiptKeys.verify(receipt, from: peer).isValid,
                headerDigest: AuditRecordFormat.hex(receipt.content.headerDigest),
                bodyDigest: AuditRecordFormat.hex(receipt.content.bodyDigest)
            )
        }
        await settle(checked, from: peer)
    }

    /// The per-message work done off the actor: decode, authenticate the sender, verify the signature, digest. Then
    /// the messages are routed in one hop through the actor.
    nonisolated func receive(_ messages: [[UInt8]], from peer: NodeID) async {
        let started = ContinuousClock.now
        await route(messages.map { arrival($0, from: peer, started: started) }, from: peer)
    }

    private nonisolated func arrival(_ bytes: [UInt8], from peer: NodeID, started: ContinuousClock.Instant) -> Arrival {
        let envelope: Envelope
        do {
            envelope = try Envelope(wireBytes: bytes)
        } catch {
            return .refused(
                id: UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
                header: nil,
                check: .malformed,
                detail: "\(error)",
                started: started
            )
        }
        let header = envelope.header
        guard header.sender == peer else {
            return .refused(
                id: header.id,
                header: header,
                check: .authentication,
                detail: "the header names \(header.sender) as sender but the connection is certified for \(peer)",
                started: started
            )
        }
        let bodyDigest = SHA256.hash(data: envelope.body)
        let verdict = keys.verify(envelope, bodyDigest: bodyDigest)
        guard verdict.isValid else {
            return .refused(id: header.id, header: header, check: .signature, detail: "\(verdict)", started: started)
        }
        let digests = MessageDigests(header: SHA256.hash(data: envelope.canonicalHeader), body: bodyDigest)
        return .verified(envelope, wire: bytes, digests: digests, started: started)
    }
}
