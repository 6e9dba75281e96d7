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

    /// RFC 3339 in UTC with milliseconds.
    public var rfc3339: String { date.formatted(Self.withFraction) }

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
