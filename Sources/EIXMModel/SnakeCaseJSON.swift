import Foundation

/// The one naming style of every JSON document the project writes (reports, tree heads, proofs, statistics):
/// snake_case keys, converted from the Swift property names (`auditTreeHead` is written `audit_tree_head`), sorted;
/// dictionary keys (node IDs, rule IDs, percentiles) are data and stay as they are. A property whose name has an
/// acronym (`messageID`) names its key `messageId` in its CodingKeys, so that the conversion goes both ways.
public enum SnakeCaseJSON {
    public static func encoder(pretty: Bool = true) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting =
            pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }
}
