import Foundation

/// A JSON decoding failure in plain words, naming the field by its path (`records.2.proof`), never a Swift type.
struct DecodingProblem: CustomStringConvertible {
    let description: String

    init(_ error: any Error) {
        func path(_ context: DecodingError.Context) -> String {
            let path = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
            return path.isEmpty ? "the document" : "field \(path)"
        }
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            let parent = path(context)
            description = "field \(key.stringValue) is missing" + (parent == "the document" ? "" : " in \(parent)")
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            description = "\(path(context)) has the wrong kind of value"
        case DecodingError.dataCorrupted(let context):
            description =
                context.codingPath.isEmpty ? "not valid JSON" : "\(path(context)) has a value that cannot be read"
        default:
            description = "not valid JSON"
        }
    }
}
