/// One of M load processes sharing the nodes and the offered rate (`eixm load --shard K/M`): this process runs the
/// nodes at positions K-1, K-1+M, K-1+2M, ... of the exercise's node list, each sending the share of the rate it
/// would send in a single process, so that M processes together offer the whole rate.
public struct LoadShard: Sendable, Hashable, Codable, CustomStringConvertible {
    /// K, from 1.
    public let index: Int
    /// M, the number of load processes.
    public let count: Int

    /// "K/M" with 1 ≤ K ≤ M ≤ 1,000, or `nil`.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]), count >= 1, count <= 1_000,
            index >= 1, index <= count
        else { return nil }
        self.index = index
        self.count = count
    }

    private enum CodingKeys: String, CodingKey { case index, count }

    /// Read from a report, checked as `--shard` is: a hand-edited 0/0 is an error naming the field, not a crash.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let index = try container.decode(Int.self, forKey: .index)
        let count = try container.decode(Int.self, forKey: .count)
        guard let shard = LoadShard("\(index)/\(count)") else {
            throw DecodingError.dataCorruptedError(
                forKey: .count,
                in: container,
                debugDescription: "shard \(index)/\(count) is not K/M with 1 ≤ K ≤ M ≤ 1000"
            )
        }
        self = shard
    }

    /// Whether the node at `position` (from 0) of the node list is this shard's.
    public func includes(position: Int) -> Bool { position % count == index - 1 }

    public var description: String { "\(index)/\(count)" }
}
