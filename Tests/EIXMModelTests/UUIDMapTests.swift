import EIXMModel
import Foundation
import Testing

@Suite("Map keyed by message ID")
struct UUIDMapTests {
    /// IDs from a seeded generator, some sharing their last byte (the byte that picks the inner dictionary) and
    /// some differing only there.
    private static func ids(count: Int, using random: inout SeededGenerator) -> [UUID] {
        (0..<count).map { index in
            var bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &random) }
            if index % 3 == 0 { bytes[15] = 7 }
            if index % 5 == 0 { bytes[0...14] = [0, 0, 0, 0, 0, 0, 0x40, 0, 0x80, 0, 0, 0, 0, 0, 0][...] }
            return UUID(
                uuid: (
                    bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8], bytes[9],
                    bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
                )
            )
        }
    }

    @Test(
        "inserts, replacements, removals and lookups in a seeded random order give what a plain dictionary gives, count and values included",
        arguments: [1, 2, 3]
    )
    func behavesAsADictionary(seed: UInt64) {
        var random = SeededGenerator(seed: seed)
        let ids = Self.ids(count: 600, using: &random)
        var map = UUIDMap<Int>()
        var model: [UUID: Int] = [:]
        for step in 0..<20_000 {
            let id = ids[Int.random(in: 0..<ids.count, using: &random)]
            switch Int.random(in: 0..<5, using: &random) {
            case 0:
                #expect(map.updateValue(step, forKey: id) == model.updateValue(step, forKey: id))
            case 1:
                #expect(map.removeValue(forKey: id) == model.removeValue(forKey: id))
            case 2:
                map[id] = step
                model[id] = step
            case 3:
                map[id] = nil
                model[id] = nil
            default:
                // In place through the subscript, as the case context moves a deadline.
                map[id]? += 1
                model[id]? += 1
            }
            #expect(map[id] == model[id])
            #expect(map.count == model.count)
        }
        #expect(map.isEmpty == model.isEmpty)
        for id in ids { #expect(map[id] == model[id]) }
        #expect(map.values.sorted() == model.values.sorted())
    }

    @Test("an empty map holds nothing; removing what it does not hold changes nothing")
    func empty() {
        var map = UUIDMap<String>()
        let id = UUID()
        #expect(map.isEmpty)
        #expect(map[id] == nil)
        #expect(map.removeValue(forKey: id) == nil)
        #expect(map.count == 0)
        #expect(Array(map.values).isEmpty)
        map[id] = "held"
        #expect(!map.isEmpty)
        #expect(Array(map.values) == ["held"])
    }
}
