import EIXMAudit
import EIXMExercise
import EIXMModel
import EIXMRules
import EIXMTransport

/// One decoder under coverage-guided fuzzing: takes any bytes and returns a broken promise in words, or `nil`.
///
/// Each target checks more than "does not crash": a decoder is total (an error, never a trap), what it reads
/// survives a round trip through the encoder, and its error text is a plain sentence (no Swift type name, no
/// NSError domain). libFuzzer runs them through `Fuzz/` (`scripts/fuzz.sh TARGET SECONDS`); the test suite replays
/// the corpus kept in `Fuzz/corpus/TARGET/` through the same functions.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// A frame payload (`Frame(payload:)`), as the transport's decoder hands it on after cutting the stream at
    /// its length prefix (that cutting is tested under NIO's `ByteToMessageDecoderVerifier`).
    case frame
    /// An envelope (`Envelope(wireBytes:)`).
    case envelope
    /// A header's canonical bytes (`Header(canonicalBytes:)`).
    case header
    /// A header as one JSON object (`Header(json:)`, what `eixm message new --json` and `rules check` read).
    case headerJSON = "header-json"
    /// An audit segment: the chain verifier and the query reader over its lines.
    case audit
    /// A rules file (`rules.yaml`), loaded and linted.
    case rulesYAML = "rules-yaml"
    /// An exercise file (`exercise.yaml`).
    case exerciseYAML = "exercise-yaml"

    /// Runs one input; a non-nil result is a broken promise (libFuzzer traps on it, the tests fail on it).
    public func run(_ bytes: [UInt8]) -> String? {
        switch self {
        case .frame: Self.frame(bytes)
        case .envelope: Self.envelope(bytes)
        case .header: Self.header(bytes)
        case .headerJSON: Self.headerJSON(bytes)
        case .audit: Self.audit(bytes)
        case .rulesYAML: Self.rulesYAML(bytes)
        case .exerciseYAML: Self.exerciseYAML(bytes)
        }
    }

    private static func frame(_ bytes: [UInt8]) -> String? {
        roundTrip(bytes, "frame", read: { try Frame(payload: $0) }, write: { $0.payload() })
    }

    private static func envelope(_ bytes: [UInt8]) -> String? {
        roundTrip(bytes, "envelope", read: { try Envelope(wireBytes: $0) }, write: { $0.wireBytes() })
    }

    private static func header(_ bytes: [UInt8]) -> String? {
        roundTrip(bytes, "header", read: { try Header(canonicalBytes: $0) }, write: { try $0.canonicalBytes() })
    }

    /// Reads `bytes`; what reads must read back the same after writing, and what does not read must say why
    /// plainly.
    private static func roundTrip<Value: Equatable>(
        _ bytes: [UInt8],
        _ what: String,
        read: ([UInt8]) throws -> Value,
        write: (Value) throws -> [UInt8]
    ) -> String? {
        let value: Value
        do {
            value = try read(bytes)
        } catch {
            return plainnessProblem(of: "\(error)", input: bytes)
        }
        do {
            return try read(try write(value)) == value ? nil : "the \(what) read back differs from the \(what) written"
        } catch {
            return "the \(what) written cannot be read back: \(error)"
        }
    }

    private static func headerJSON(_ bytes: [UInt8]) -> String? {
        roundTrip(bytes, "JSON header", read: { try Header(json: $0) }, write: { Array($0.jsonText().utf8) })
    }

    private static func audit(_ bytes: [UInt8]) -> String? {
        let verification = AuditVerifier.verify(segmentBytes: bytes, name: "fuzz.jsonl")
        if let problem = verification.problem, let broken = plainnessProblem(of: problem.detail, input: bytes) {
            return broken
        }
        _ = AuditReader.records(in: bytes, segment: "fuzz.jsonl")
        return nil
    }

    private static func rulesYAML(_ bytes: [UInt8]) -> String? {
        let text = String(decoding: bytes, as: UTF8.self)
        for problem in RulesConfiguration.lint(yaml: text, file: "fuzz.yaml") {
            if let broken = plainnessProblem(of: problem.description, input: bytes) { return broken }
        }
        do {
            _ = try RulesConfiguration.load(yaml: text, file: "fuzz.yaml")
            return nil
        } catch {
            return plainnessProblem(of: error.description, input: bytes)
        }
    }

    private static func exerciseYAML(_ bytes: [UInt8]) -> String? {
        do {
            _ = try ExerciseConfiguration.load(yaml: String(decoding: bytes, as: UTF8.self), file: "fuzz.yaml")
            return nil
        } catch {
            return plainnessProblem(of: error.description, input: bytes)
        }
    }

    /// Words that only a leaked Swift or Foundation internal would put in an error message.
    static let internalWords = [
        "DecodingError", "EncodingError", "Dictionary<", "Array<", "Optional(", "Swift.", "NSCocoaErrorDomain",
        "NSError", "Foundation.", "Yams.", "YamlError", "CodingKeys", "_JSON",
    ]

    /// `nil` when an error text is a plain sentence; otherwise what gave it away. A word the input itself holds is
    /// not counted: an error may quote what it refuses.
    public static func plainnessProblem(of text: String, input: [UInt8] = []) -> String? {
        let quoted = String(decoding: input, as: UTF8.self)
        for word in internalWords where text.contains(word) && !quoted.contains(word) {
            return "an error message shows '\(word)': \(text.prefix(300))"
        }
        return nil
    }
}
