import Foundation

/// Reads a spool folder from the first segment to the last, record by record, and finds where it stops being
/// whole. A torn tail (the last record of the last segment cut short or garbled by a crash mid-write) is to be cut;
/// damage anywhere else is corruption: refused, or with `repair` cut from there (with every later segment).
struct SpoolScan {
    /// Every whole record, with the segment it is in.
    var records: [(segment: Int, record: SpoolRecord)] = []
    var segments: [Int] = []
    /// Where to cut: a segment and the length to keep (and the segments after it to delete), and why.
    var cut: (segment: Int, keep: Int, later: [Int], reason: String)?

    init(directory: URL, repair: Bool) throws(SpoolError) {
        segments = try SpoolSegments.list(directory)
        for (position, index) in segments.enumerated() where position > 0 && index != segments[position - 1] + 1 {
            let missing = SpoolSegments.name(segments[position - 1] + 1)
            guard repair else {
                throw SpoolError(
                    .missingSegment,
                    path: directory.appendingPathComponent(missing).path,
                    "the spool has \(SpoolSegments.name(segments[position - 1])) and \(SpoolSegments.name(index)) but not the segment between them (use --repair to go on without it)"
                )
            }
            // What follows the gap is kept: the records are whole; only the missing segment's are lost.
        }
        for (position, index) in segments.enumerated() {
            let path = directory.appendingPathComponent(SpoolSegments.name(index)).path
            let bytes: [UInt8]
            do {
                bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
            } catch {
                throw SpoolError(.io, path: path, "cannot read: \(error.localizedDescription)")
            }
            let isLast = position == segments.count - 1
            if let damage = read(bytes, segment: index) {
                let later = Array(segments[(position + 1)...])
                let torn = isLast && damage.tornIfLast
                guard torn || repair else {
                    throw SpoolError(
                        .corrupt,
                        path: path,
                        offset: damage.offset,
                        damage.reason + " (use --repair to cut the spool from there)"
                    )
                }
                cut = (index, damage.offset, later, (torn ? "torn tail: " : "repaired: ") + damage.reason)
                return
            }
        }
    }

    /// Reads one segment's records; returns the first damage found.
    private mutating func read(_ bytes: [UInt8], segment: Int) -> SpoolSegments.Damage? {
        guard bytes.count >= SpoolSegments.magic.count else {
            // A segment created and not yet written to when the crash came.
            return SpoolSegments.Damage(
                offset: 0,
                reason: "\(bytes.count) byte(s), shorter than the segment header",
                tornIfLast: true
            )
        }
        guard bytes.starts(with: SpoolSegments.magic) else {
            return SpoolSegments.Damage(
                offset: 0,
                reason: "not a spool segment (no EIXMSPL1 header)",
                tornIfLast: false
            )
        }
        return SpoolSegments.readRecords(bytes, from: SpoolSegments.magic.count, kind: "a spool record") { payload in
            guard let record = SpoolRecord(payload: payload) else { return false }
            records.append((segment, record))
            return true
        }
    }
}
