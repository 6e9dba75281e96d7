import Foundation

/// A point in time with millisecond precision, as whole milliseconds since 1970-01-01T00:00:00Z.
///
/// Rendered as RFC 3339 in UTC with milliseconds, e.g. `2026-11-29T08:00:00.000Z`.
public struct Timestamp: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var millisecondsSinceEpoch: Int64

    public init(millisecondsSinceEpoch: Int64) { self.millisecondsSinceEpoch = millisecondsSinceEpoch }

    public init(_ date: Date) {
        millisecondsSinceEpoch = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
    }

    public var date: Date { Date(timeIntervalSince1970: Double(millisecondsSinceEpoch) / 1000) }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.millisecondsSinceEpoch < rhs.millisecondsSinceEpoch }

    /// This time plus a number of seconds.
    public func adding(seconds: Int64) -> Timestamp {
        Timestamp(millisecondsSinceEpoch: millisecondsSinceEpoch + seconds * 1000)
    }

    /// RFC 3339 in UTC with milliseconds, e.g. `2026-11-29T08:00:00.000Z`. Computed by calendar arithmetic
    /// (days to civil date), without a formatter: the audit log writes two per record.
    public var rfc3339: String {
        let milliseconds = Int64(millisecondsSinceEpoch)
        var days = milliseconds / 86_400_000
        var rest = milliseconds % 86_400_000
        if rest < 0 {
            rest += 86_400_000
            days -= 1
        }
        // Days since 1970-01-01 to year, month, day (proleptic Gregorian; H. Hinnant's algorithm).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        guard (0...9999).contains(year) else { return date.formatted(Self.withFraction) }
        var out = [UInt8](repeating: 0, count: 24)
        func put(_ value: Int64, at index: Int, digits: Int) {
            var value = value
            for position in stride(from: index + digits - 1, through: index, by: -1) {
                out[position] = UInt8(0x30 + value % 10)
                value /= 10
            }
        }
        put(year, at: 0, digits: 4)
        out[4] = 0x2D
        put(month, at: 5, digits: 2)
        out[7] = 0x2D
        put(day, at: 8, digits: 2)
        out[10] = 0x54
        put(rest / 3_600_000, at: 11, digits: 2)
        out[13] = 0x3A
        put(rest / 60_000 % 60, at: 14, digits: 2)
        out[16] = 0x3A
        put(rest / 1000 % 60, at: 17, digits: 2)
        out[19] = 0x2E
        put(rest % 1000, at: 20, digits: 3)
        out[23] = 0x5A
        return String(decoding: out, as: UTF8.self)
    }

    public var description: String { rfc3339 }

    /// Parses RFC 3339 with or without fractional seconds, with `Z` or a numeric offset.
    public init?(rfc3339 text: String) {
        guard let date = (try? Self.withFraction.parse(text)) ?? (try? Self.withoutFraction.parse(text)) else {
            return nil
        }
        self.init(date)
    }

    private static let withFraction = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)
    private static let withoutFraction = Date.ISO8601FormatStyle(timeZone: .gmt)
}
