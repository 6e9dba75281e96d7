import EIXMMerkle
import Foundation
import Testing

/// The inclusion and consistency proof cases and reference tree heads of transparency-dev/merkle, the Go reference
/// implementation of RFC 6962 / RFC 9162 Merkle trees (Apache License 2.0): `MerkleVectors/README.md` says which
/// files. Every case must come out as the reference says: the `wantErr` ones refused, the others accepted.
@Suite("Merkle trees against the RFC 6962/9162 reference vectors")
struct MerkleVectorTests {
    struct Vector: Sendable, Decodable, CustomTestStringConvertible {
        struct Case: Sendable, Decodable {
            let leafIdx, treeSize, start, end, size, size1, size2: UInt64?
            let root, leafHash, root1, root2: String?
            let proof: [String]?
            let wantErr: Bool
        }

        let kind: String
        let source: String
        let `case`: Case
        var testDescription: String { source }

        static func hash(_ base64: String?) -> [UInt8] {
            base64.flatMap { Data(base64Encoded: $0) }.map(Array.init) ?? []
        }
        var proof: [[UInt8]] { (`case`.proof ?? []).map(Self.hash) }
        var wantError: Bool { `case`.wantErr }
    }

    static func url(_ name: String) throws -> URL {
        try #require(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "MerkleVectors"))
    }

    static let vectors: [Vector] = {
        guard let url = try? url("rfc6962-merkle-proofs.jsonl"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else { return [] }
        return text.split(separator: "\n").compactMap { try? JSONDecoder().decode(Vector.self, from: Data($0.utf8)) }
    }()

    @Test("all 518 cases are read, of the four kinds")
    func everyCaseIsRead() {
        #expect(Self.vectors.count == 518)
        #expect(
            Set(Self.vectors.map(\.kind)) == ["inclusion", "consistency", "subtreeinclusion", "subtreeconsistency"]
        )
    }

    @Test("each case is accepted or refused as the reference says", arguments: vectors)
    func referenceCase(_ vector: Vector) {
        let outcome: Result<Void, MerkleProof.Failure> = Result { () throws(MerkleProof.Failure) in
            switch vector.kind {
            case "inclusion":
                try MerkleProof.verifyInclusion(
                    index: vector.case.leafIdx ?? 0,
                    size: vector.case.treeSize ?? 0,
                    leafHash: Vector.hash(vector.case.leafHash),
                    proof: vector.proof,
                    root: Vector.hash(vector.case.root)
                )
            case "subtreeinclusion":
                try MerkleProof.verifySubtreeInclusion(
                    index: vector.case.leafIdx ?? 0,
                    start: vector.case.start ?? 0,
                    end: vector.case.end ?? 0,
                    leafHash: Vector.hash(vector.case.leafHash),
                    proof: vector.proof,
                    root: Vector.hash(vector.case.root)
                )
            case "consistency":
                try MerkleProof.verifyConsistency(
                    oldSize: vector.case.size1 ?? 0,
                    newSize: vector.case.size2 ?? 0,
                    oldRoot: Vector.hash(vector.case.root1),
                    newRoot: Vector.hash(vector.case.root2),
                    proof: vector.proof
                )
            default:
                try MerkleProof.verifySubtreeConsistency(
                    start: vector.case.start ?? 0,
                    end: vector.case.end ?? 0,
                    size: vector.case.size ?? 0,
                    subtreeRoot: Vector.hash(vector.case.root1),
                    root: Vector.hash(vector.case.root2),
                    proof: vector.proof
                )
            }
        }
        switch outcome {
        case .success: #expect(!vector.wantError, "accepted a proof the reference refuses: \(vector.source)")
        case .failure(let failure):
            #expect(vector.wantError, "refused a proof the reference accepts: \(vector.source): \(failure)")
        }
    }

    @Test("the tree of the first N reference inputs has the reference root, N = 0...8")
    func referenceTreeHeads() throws {
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: Self.url("rfc6962-tree-heads.json")))
                as? [String: Any]
        )
        let inputs = try #require(object["leaf_inputs_hex"] as? [String]).map(Self.bytes(hex:))
        let roots = try #require(object["root_hashes_hex_by_tree_size"] as? [String]).map(Self.bytes(hex:))
        #expect(roots.count == 9)
        var tree = MerkleTree()
        #expect(tree.root == roots[0])
        for (index, input) in inputs.enumerated() {
            tree.append(entry: input)
            #expect(tree.root == roots[index + 1], "root of the first \(index + 1) inputs")
        }
    }

    @Test("proofs built from the reference inputs verify, and each fails once a hash is changed")
    func builtProofsRoundTrip() throws {
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: Self.url("rfc6962-tree-heads.json")))
                as? [String: Any]
        )
        let inputs = try #require(object["leaf_inputs_hex"] as? [String]).map(Self.bytes(hex:))
        let leaves = inputs.map { MerkleTree.leafHash($0) }
        func root(_ range: Range<UInt64>) -> [UInt8] {
            var tree = MerkleTree()
            for index in range { tree.append(entry: inputs[Int(index)]) }
            return tree.root
        }
        for size in 1...UInt64(leaves.count) {
            // A batch's proofs, built in one pass, are the ones built range by range, with the same root.
            let batch = MerkleTree.rootAndInclusionPaths(leafHashes: Array(leaves.prefix(Int(size))))
            #expect(batch.root == root(0..<size))
            for index in 0..<size {
                #expect(
                    batch.paths[Int(index)] == (try MerkleProof.inclusionRanges(index: index, size: size).flatMap(root))
                )
                // The flat path leads to the root; cut by a byte or by a hash, or with a hash too many, it does not.
                let path = batch.paths[Int(index)]
                let leaf = leaves[Int(index)]
                #expect(
                    try MerkleProof.rootFromInclusion(index: index, size: size, leafHash: leaf, path: path)
                        == batch.root
                )
                #expect(throws: MerkleProof.Failure.self) {
                    try MerkleProof.rootFromInclusion(index: index, size: size, leafHash: leaf, path: path + leaf)
                }
                // Cut by a byte, and by a whole hash.
                for cut in [1, 32] where path.count >= cut {
                    #expect(throws: MerkleProof.Failure.self) {
                        try MerkleProof.rootFromInclusion(
                            index: index,
                            size: size,
                            leafHash: leaf,
                            path: Array(path.dropLast(cut))
                        )
                    }
                }
            }
            for index in 0..<size {
                let proof = try MerkleProof.inclusionRanges(index: index, size: size).map(root)
                #expect(throws: Never.self) {
                    try MerkleProof.verifyInclusion(
                        index: index,
                        size: size,
                        leafHash: leaves[Int(index)],
                        proof: proof,
                        root: root(0..<size)
                    )
                }
                if let first = proof.first {
                    var changed = proof
                    changed[0] = MerkleTree.nodeHash(first, first)
                    #expect(throws: MerkleProof.Failure.self) {
                        try MerkleProof.verifyInclusion(
                            index: index,
                            size: size,
                            leafHash: leaves[Int(index)],
                            proof: changed,
                            root: root(0..<size)
                        )
                    }
                }
            }
            for old in 1...size {
                let proof = try MerkleProof.consistencyRanges(oldSize: old, newSize: size).map(root)
                #expect(throws: Never.self) {
                    try MerkleProof.verifyConsistency(
                        oldSize: old,
                        newSize: size,
                        oldRoot: root(0..<old),
                        newRoot: root(0..<size),
                        proof: proof
                    )
                }
                if old < size {
                    #expect(throws: MerkleProof.Failure.self) {
                        try MerkleProof.verifyConsistency(
                            oldSize: old,
                            newSize: size,
                            oldRoot: root(1..<old + 1),
                            newRoot: root(0..<size),
                            proof: proof
                        )
                    }
                }
            }
        }
    }

    @Test("the subtrees of a proof that cannot exist are refused, not a crash")
    func impossibleProofs() {
        #expect(throws: MerkleProof.Failure.self) { try MerkleProof.inclusionRanges(index: 3, size: 3) }
        #expect(throws: MerkleProof.Failure.self) { try MerkleProof.consistencyRanges(oldSize: 0, newSize: 5) }
        #expect(throws: MerkleProof.Failure.self) { try MerkleProof.consistencyRanges(oldSize: 6, newSize: 5) }
    }

    static func bytes(hex: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            bytes.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        return bytes
    }
}
