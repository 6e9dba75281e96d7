import Crypto
import EIXMCrypto
import EIXMModel
import EIXMTestKit
import Foundation
import Testing

@Suite("Batch-signed envelopes (signature scheme 2)")
struct BatchSignatureTests {
    static let pki = Result { try ExercisePKI.generate(nodes: [.spoc(.be), .spoc(.fr)]) }

    /// `count` distinct messages from Belgium, sealed as one batch.
    private func batch(_ count: Int, tag: String = "batch") throws -> [Envelope] {
        let belgium = try Self.pki.get().identity(for: .spoc(.be))
        let messages = (0..<count).map { index -> (header: Header, body: [UInt8]) in
            var header = SampleMessages.request()
            header.id = UUID()
            return (header, Array("\(tag) \(index)".utf8))
        }
        return try belgium.seal(batch: messages)
    }

    private func keys() throws -> KeyDirectory { try Self.pki.get().keyDirectory() }

    /// The envelope with another signature block (the header, body and framing unchanged).
    private func resigned(_ envelope: Envelope, _ signature: SignatureBlock) throws -> Envelope {
        try Envelope(
            header: envelope.header,
            canonicalHeader: envelope.canonicalHeader,
            body: envelope.body,
            signature: signature
        )
    }

    private func batchSignature(_ envelope: Envelope) throws -> BatchSignature {
        guard case .batch(let batch) = envelope.signature else {
            Issue.record("not a batch signature")
            throw CancellationError()
        }
        return batch
    }

    @Test(
        "every envelope of a batch verifies after a trip over the wire, paying one root verification",
        arguments: [1, 2, 3, 7, 64, 4_096]
    )
    func everyEnvelopeVerifies(count: Int) throws {
        let envelopes = try batch(count)
        let keys = try keys()
        for (index, envelope) in envelopes.enumerated() {
            let decoded = try Envelope(wireBytes: envelope.wireBytes())
            #expect(decoded == envelope)
            #expect(decoded.signature.scheme == 2)
            let signature = try batchSignature(decoded)
            #expect(signature.leafIndex == UInt32(index))
            #expect(signature.batchSize == UInt32(count))
            #expect(keys.verify(decoded) == .valid)
        }
        let statistics = keys.verifiedRoots.statistics
        #expect(statistics.verifications == 1)
        #expect(statistics.hits == count - 1)
        // On its own, with no cache: the last and the first envelope each verify in full.
        let key = try Self.pki.get().identity(for: .spoc(.be)).publicKey
        #expect(envelopes.first?.isValidSignature(for: key) == true)
        #expect(envelopes.last?.isValidSignature(for: key) == true)
    }

    @Test("a batch above the maximum is refused when sealing")
    func aboveMaximum() throws {
        #expect(throws: CredentialError.self) { try self.batch(Int(BatchSignature.maximumBatchSize) + 1) }
    }

    @Test("a forged path hash fails, and the genuine envelope still verifies afterwards")
    func forgedPath() throws {
        let envelopes = try batch(8)
        let keys = try keys()
        let signature = try batchSignature(envelopes[5])
        for level in signature.path.indices {
            var path = signature.path
            path[level][7] ^= 0x40
            let forged = try resigned(
                envelopes[5],
                .batch(BatchSignature(rootSignature: signature.rootSignature, leafIndex: 5, batchSize: 8, path: path))
            )
            #expect(keys.verify(forged) == .badSignature(.spoc(.be)), "path hash \(level) changed")
        }
        #expect(keys.verifiedRoots.statistics.failures == signature.path.count)
        #expect(keys.verify(envelopes[5]) == .valid)
    }

    @Test("a changed body or header under a batch signature fails")
    func changedContent() throws {
        let envelopes = try batch(4)
        let keys = try keys()
        #expect(keys.verify(envelopes[0]) == .valid)
        let body = try Envelope(
            header: envelopes[1].header,
            canonicalHeader: envelopes[1].canonicalHeader,
            body: Array("changed".utf8),
            signature: envelopes[1].signature
        )
        #expect(keys.verify(body) == .badSignature(.spoc(.be)))
        // Envelope 2's header with envelope 3's place in the same batch: the path leads to another root.
        let swapped = try resigned(envelopes[2], envelopes[3].signature)
        #expect(keys.verify(swapped) == .badSignature(.spoc(.be)))
    }

    @Test("a root signature moved to an envelope of another batch fails")
    func movedRootSignature() throws {
        let first = try batch(4, tag: "first")
        let second = try batch(4, tag: "second")
        let keys = try keys()
        #expect(keys.verify(first[0]) == .valid)
        let own = try batchSignature(second[2])
        let moved = try resigned(
            second[2],
            .batch(
                BatchSignature(
                    rootSignature: try batchSignature(first[0]).rootSignature,
                    leafIndex: own.leafIndex,
                    batchSize: own.batchSize,
                    path: own.path
                )
            )
        )
        #expect(keys.verify(moved) == .badSignature(.spoc(.be)))
    }

    @Test(
        "with a memo of path nodes warmed by two whole batches, a changed path, another place, a moved root signature and a neighbour's index still fail"
    )
    func memoizedPathNodes() throws {
        let envelopes = try batch(64)
        let other = try batch(64, tag: "other")
        let keys = try keys().withOwnRootCache(memoizedNodes: 256)
        for envelope in envelopes + other { #expect(keys.verify(envelope) == .valid) }
        #expect(keys.verifiedRoots.statistics.pathNodesRemembered > 0)
        let signature = try batchSignature(envelopes[37])
        func forged(rootSignature: [UInt8]? = nil, leafIndex: UInt32 = 37, path: [[UInt8]]? = nil) throws -> Envelope {
            try resigned(
                envelopes[37],
                .batch(
                    BatchSignature(
                        rootSignature: rootSignature ?? signature.rootSignature,
                        leafIndex: leafIndex,
                        batchSize: 64,
                        path: path ?? signature.path
                    )
                )
            )
        }
        for level in signature.path.indices {
            for byte in [0, 31] {
                var path = signature.path
                path[level][byte] ^= 0x01
                #expect(keys.verify(try forged(path: path)) == .badSignature(.spoc(.be)), "hash \(level), byte \(byte)")
            }
        }
        #expect(keys.verify(try forged(leafIndex: 36)) == .badSignature(.spoc(.be)))
        #expect(keys.verify(try resigned(envelopes[37], envelopes[38].signature)) == .badSignature(.spoc(.be)))
        let moved = try forged(rootSignature: try batchSignature(other[37]).rootSignature)
        #expect(keys.verify(moved) == .badSignature(.spoc(.be)))
        for envelope in envelopes + other { #expect(keys.verify(envelope) == .valid) }
    }

    @Test("a leaf index outside the batch, or a path of the wrong length, is refused when reading")
    func indexOutOfRange() throws {
        let envelope = try batch(5)[4]
        let signature = try batchSignature(envelope)
        #expect(signature.path.count == 1)  // leaf 4 of 5: its sibling is the tree of leaves 0-3
        #expect(throws: MessageFormatError.self) {
            try BatchSignature(rootSignature: signature.rootSignature, leafIndex: 5, batchSize: 5, path: signature.path)
        }
        #expect(throws: MessageFormatError.self) {
            try BatchSignature(rootSignature: signature.rootSignature, leafIndex: 4, batchSize: 6, path: signature.path)
        }
        #expect(throws: MessageFormatError.self) {
            try BatchSignature(rootSignature: signature.rootSignature, leafIndex: 0, batchSize: 0, path: [])
        }
        // A hash too many, and a path that is not whole hashes.
        #expect(throws: MessageFormatError.self) {
            try BatchSignature(
                rootSignature: signature.rootSignature,
                leafIndex: 4,
                batchSize: 5,
                path: signature.path + [Array(repeating: 7, count: 32)]
            )
        }
        #expect(throws: MessageFormatError.self) {
            try BatchSignature(
                rootSignature: signature.rootSignature,
                leafIndex: 4,
                batchSize: 5,
                pathBytes: signature.pathBytes + [7]
            )
        }
        // On the wire: the leaf index field (after the 64-byte root signature) set to the batch size.
        var bytes = envelope.wireBytes()
        let indexAt = bytes.count - (64 + 4 + 4 + 1 + 32) + 64
        bytes[indexAt + 3] = 5
        do {
            _ = try Envelope(wireBytes: bytes)
            Issue.record("an envelope whose leaf is outside its batch was read")
        } catch {
            #expect(error.field == "signature")
            #expect(error.description.contains("outside its batch"))
        }
        // Inside the range, a path of the right length, but the wrong leaf: the path then leads elsewhere.
        var other = try batch(4)[1].wireBytes()
        other[other.count - (64 + 4 + 4 + 1 + 2 * 32) + 64 + 3] = 2
        #expect(try keys().verify(Envelope(wireBytes: other)) == .badSignature(.spoc(.be)))
    }

    @Test("an unverified root never enters the cache: each envelope of a forged batch is checked and refused")
    func cachePoisoning() throws {
        let envelopes = try batch(4)
        let keys = try keys()
        // A forger keeps the genuine paths (so the roots are real ones) but signs nothing: a made-up root signature.
        let forged = try envelopes.map { envelope in
            let genuine = try batchSignature(envelope)
            return try resigned(
                envelope,
                .batch(
                    BatchSignature(
                        rootSignature: [UInt8](repeating: 0x5A, count: 64),
                        leafIndex: genuine.leafIndex,
                        batchSize: genuine.batchSize,
                        path: genuine.path
                    )
                )
            )
        }
        for envelope in forged { #expect(keys.verify(envelope) == .badSignature(.spoc(.be))) }
        let statistics = keys.verifiedRoots.statistics
        #expect(statistics.verifications == 4)
        #expect(statistics.failures == 4)
        #expect(statistics.hits == 0)
        // The genuine batch then pays its own verification: the forged attempts left nothing behind.
        for envelope in envelopes { #expect(keys.verify(envelope) == .valid) }
        #expect(keys.verifiedRoots.statistics.verifications == 5)
    }

    @Test("after the sender's key changes, a batch its old key signed no longer verifies, though its root was cached")
    func keyChanged() throws {
        let old = try batch(4, tag: "old key")
        var keys = try keys()
        #expect(keys.verify(old[0]) == .valid)
        // Belgium's key renewed: a new identity for the same node.
        let renewed = try ExercisePKI.generate(nodes: [.spoc(.be)]).identity(for: .spoc(.be))
        keys.set(renewed.publicKey, for: .spoc(.be))
        #expect(keys.verify(old[1]) == .badSignature(.spoc(.be)))
        var header = SampleMessages.request()
        header.id = UUID()
        let new = try renewed.seal(batch: [(header, Array("new key".utf8))])
        #expect(keys.verify(new[0]) == .valid)
    }

    @Test("no envelope can be moved between schemes: a per-message signature as a batch of one, and back, fail")
    func schemesApart() throws {
        let belgium = try Self.pki.get().identity(for: .spoc(.be))
        let keys = try keys()
        let single = try belgium.seal(SampleMessages.request(), body: Array("one".utf8))
        let batched = try belgium.seal(batch: [(SampleMessages.request(), Array("one".utf8))])[0]
        #expect(keys.verify(single) == .valid)
        #expect(keys.verify(batched) == .valid)
        guard case .ed25519(let bytes) = single.signature else { throw CancellationError() }
        let asBatch = try resigned(
            single,
            .batch(BatchSignature(rootSignature: bytes, leafIndex: 0, batchSize: 1, path: []))
        )
        // Its root is the very root `batched` verified; only the signature differs, and it is the one that counts.
        #expect(keys.verify(asBatch) == .badSignature(.spoc(.be)))
        #expect(try self.keys().verify(asBatch) == .badSignature(.spoc(.be)))
        let asSingle = try resigned(batched, .ed25519(try batchSignature(batched).rootSignature))
        #expect(keys.verify(asSingle) == .badSignature(.spoc(.be)))
    }

    @Test("the cache keeps at most two generations of its capacity, and a dropped root is verified again")
    func bounded() throws {
        let keys = KeyDirectory(
            keys: [.spoc(.be): try Self.pki.get().identity(for: .spoc(.be)).publicKey],
            verifiedRoots: VerifiedRoots(capacity: 2)
        )
        let batches = try (0..<5).map { try batch(2, tag: "generation \($0)") }
        for batch in batches { #expect(keys.verify(batch[0]) == .valid) }
        #expect(keys.verifiedRoots.statistics.verifications == 5)
        // The newest roots are still known; the oldest was dropped and costs a verification again.
        #expect(keys.verify(batches[4][1]) == .valid)
        #expect(keys.verifiedRoots.statistics.verifications == 5)
        #expect(keys.verify(batches[0][1]) == .valid)
        #expect(keys.verifiedRoots.statistics.verifications == 6)
    }
}
