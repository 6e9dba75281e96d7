import Foundation

/// A JSON decoding failure in plain words, naming the field by its path (`records.2.proof`), never a Swift type.
struct DecodingProblem: CustomStringConvertible {
    let description: String

    init(_ error: any Error) {
        func path(_ context: DecodingError.Context) -> String {
            let path = context.codingPath.map { $0.intValue.map(String.init) ?? Self.written($0.stringValue) }
                .joined(separator: ".")
            return path.isEmpty ? "the document" : "field \(path)"
        }
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            let parent = path(context)
            description =
                "field \(Self.written(key.stringValue)) is missing" + (parent == "the document" ? "" : " in \(parent)")
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            description = "\(path(context)) has the wrong kind of value"
        case DecodingError.dataCorrupted(let context):
            description =
                context.codingPath.isEmpty ? "not valid JSON" : "\(path(context)) has a value that cannot be read"
        default:
            description = "not valid JSON"
        }
    }

    /// A key as the document writes it: the documents are snake_case, and a decoder that converts them names a
    /// missing key by its Swift name (`treeHead` for `tree_head`).
    static func written(_ key: String) -> String {
        // Only a Swift name (camelCase); dictionary keys in a path (node IDs, rule IDs) are data.
        guard let first = key.first, first.isLowercase, key.allSatisfy({ $0.isLetter || $0.isNumber }) else {
            return key
        }
        var out = ""
        for character in key {
            if character.isUppercase, !out.isEmpty, out.last != "_" {
                out.append("_")
            }
            out += character.lowercased()
        }
        return out
    }
}
