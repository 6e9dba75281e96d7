import EIXMFuzzTargets
import Foundation
import Testing

/// Replays every input kept in `Fuzz/corpus/TARGET/` (seeds, and every crash or hang the fuzzer found, kept as a
/// regression) through the same checks libFuzzer runs.
@Suite struct FuzzCorpusTests {
    static let corpus = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz/corpus")

    @Test(arguments: FuzzTarget.allCases)
    func corpusKeepsEveryPromise(target: FuzzTarget) throws {
        let folder = Self.corpus.appendingPathComponent(target.rawValue)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(!names.isEmpty, "no corpus for \(target.rawValue)")
        for name in names {
            let bytes = try [UInt8](Data(contentsOf: folder.appendingPathComponent(name)))
            let broken = target.run(bytes)
            #expect(broken == nil, "\(target.rawValue)/\(name): \(broken ?? "")")
        }
    }

    /// The checks themselves can fail: a leaked type name is caught.
    @Test func aLeakedTypeNameIsCaught() {
        #expect(FuzzTarget.plainnessProblem(of: "Expected to decode Dictionary<String, Any> but found") != nil)
        #expect(FuzzTarget.plainnessProblem(of: "header: field 'urgency': expected text") == nil)
        // Quoting the input is no leak, even when the input holds such a word.
        #expect(
            FuzzTarget.plainnessProblem(of: "'Optional(x' is not a node ID", input: Array("Optional(x".utf8)) == nil
        )
    }
}
