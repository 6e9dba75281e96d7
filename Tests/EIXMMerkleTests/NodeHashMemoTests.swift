import EIXMMerkle
import Testing

@Suite("A memo of node hashes for walking many paths of one tree")
struct NodeHashMemoTests {
    /// Entries of a tree of `size`, their leaf hashes, each leaf's inclusion path and the root, computed by the
    /// incremental tree (another code path than the walk).
    private func tree(_ size: Int, tag: String = "entry") -> (leaves: [[UInt8]], paths: [[UInt8]], root: [UInt8]) {
        let entries = (0..<size).map { Array("\(tag) \(size)-\($0)".utf8) }
        var tree = MerkleTree()
        for entry in entries { tree.append(entry: entry) }
        let leaves = entries.map { MerkleTree.leafHash($0) }
        return (leaves, MerkleTree.rootAndInclusionPaths(leafHashes: leaves).paths, tree.root)
    }

    @Test("every path of trees of 1 to 70 entries, walked twice through one memo, leads to its tree's root")
    func sameRoots() throws {
        let memo = NodeHashMemo(capacity: 256)
        var steps = 0
        for size in 1...70 {
            let (leaves, paths, root) = tree(size)
            for _ in 0..<2 {
                for index in 0..<size {
                    let walked = try MerkleProof.rootFromInclusion(
                        index: UInt64(index),
                        size: UInt64(size),
                        leafHash: leaves[index],
                        path: paths[index],
                        memo: memo
                    )
                    #expect(walked == root, "entry \(index) of \(size)")
                    steps += paths[index].count / 32
                }
            }
        }
        let statistics = memo.statistics
        #expect(statistics.hits + statistics.misses == steps)
        // Each tree's second pass finds every node it needs.
        #expect(statistics.misses <= steps / 2)
    }

    @Test("a path changed anywhere gives, however warm the memo, the root its own hashes give, not the tree's")
    func changedPaths() throws {
        for size in [2, 7, 64, 65] {
            let memo = NodeHashMemo()
            let (leaves, paths, root) = tree(size)
            for index in 0..<size {
                _ = try MerkleProof.rootFromInclusion(
                    index: UInt64(index),
                    size: UInt64(size),
                    leafHash: leaves[index],
                    path: paths[index],
                    memo: memo
                )
            }
            for index in [0, size / 2, size - 1] {
                for position in paths[index].indices where position % 32 == 0 || position % 32 == 31 {
                    var path = paths[index]
                    path[position] ^= 0x01
                    func walk(_ memo: NodeHashMemo?) throws -> [UInt8] {
                        try MerkleProof.rootFromInclusion(
                            index: UInt64(index),
                            size: UInt64(size),
                            leafHash: leaves[index],
                            path: path,
                            memo: memo
                        )
                    }
                    let walked = try walk(memo)
                    #expect(walked != root, "byte \(position) of entry \(index)'s path in a tree of \(size)")
                    #expect(walked == (try walk(nil)))
                }
                // The right path under another leaf's place: another root, or a path of the wrong length there.
                let neighbour = (index + 1) % size
                if neighbour != index {
                    let walked = try? MerkleProof.rootFromInclusion(
                        index: UInt64(neighbour),
                        size: UInt64(size),
                        leafHash: leaves[index],
                        path: paths[index],
                        memo: memo
                    )
                    #expect(walked != root)
                }
            }
        }
    }

    @Test("a full table replaces what it held: never more than its capacity, and every root still right")
    func bounded() throws {
        let memo = NodeHashMemo(capacity: 16)
        #expect(memo.capacity == 16)
        for tag in ["first", "second"] {
            let (leaves, paths, root) = tree(256, tag: tag)
            for index in 0..<256 {
                let walked = try MerkleProof.rootFromInclusion(
                    index: UInt64(index),
                    size: 256,
                    leafHash: leaves[index],
                    path: paths[index],
                    memo: memo
                )
                #expect(walked == root)
            }
        }
        #expect(memo.count <= 16)
        #expect(NodeHashMemo(capacity: 100).capacity == 128)
    }
}
