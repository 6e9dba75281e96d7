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
    /// (days to civil date), without a formatter, straight into the string's storage: one allocation.
    public var rfc3339: String {
        let text = String(unsafeUninitializedCapacity: 24) { writeRFC3339(into: $0) ? 24 : 0 }
        return text.isEmpty ? date.formatted(Self.withFraction) : text
    }

    /// Appends the bytes of ``rfc3339`` to `bytes`, without a string in between: the audit log writes two per record.
    public func appendRFC3339(to bytes: inout [UInt8]) {
        let written = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { buffer in
            guard writeRFC3339(into: buffer) else { return false }
            bytes.append(contentsOf: buffer)
            return true
        }
        if !written { bytes.append(contentsOf: rfc3339.utf8) }
    }

    /// Writes the 24 bytes of the RFC 3339 form at the start of `out`; `false`, writing nothing, for a year outside
    /// 0-9999 (which the form cannot hold).
    private func writeRFC3339(into out: UnsafeMutableBufferPointer<UInt8>) -> Bool {
        var days = millisecondsSinceEpoch / 86_400_000
        var rest = millisecondsSinceEpoch % 86_400_000
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
        guard (0...9999).contains(year), out.count >= 24 else { return false }
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
        return true
    }

    public var description: String { rfc3339 }

    /// Parses RFC 3339 (`YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`), by the same proleptic Gregorian arithmetic
    /// as ``rfc3339`` (Foundation's parser switches to the Julian calendar before 1582, so a date written here would
    /// not read back the same). Fractions beyond milliseconds are cut.
    public init?(rfc3339 text: String) {
        let bytes = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int64? {
            guard range.upperBound <= bytes.count else { return nil }
            var value: Int64 = 0
            for byte in bytes[range] {
                guard (0x30...0x39).contains(byte) else { return nil }
                value = value * 10 + Int64(byte - 0x30)
            }
            return value
        }
        guard bytes.count >= 20, bytes[4] == 0x2D, bytes[7] == 0x2D, bytes[10] == 0x54 || bytes[10] == 0x74,
            bytes[13] == 0x3A, bytes[16] == 0x3A,
            let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
            (1...12).contains(month), day >= 1, day <= Self.days(inMonth: month, of: year),
            hour < 24, minute < 60, second < 60
        else { return nil }
        var index = 19
        var milliseconds: Int64 = 0
        if bytes[index] == 0x2E {
            index += 1
            var digits = 0
            while index < bytes.count, (0x30...0x39).contains(bytes[index]) {
                if digits < 3 { milliseconds = milliseconds * 10 + Int64(bytes[index] - 0x30) }
                digits += 1
                index += 1
            }
            guard digits > 0 else { return nil }
            for _ in digits..<max(digits, 3) { milliseconds *= 10 }
        }
        var offsetMinutes: Int64 = 0
        guard index < bytes.count else { return nil }
        switch bytes[index] {
        case 0x5A, 0x7A:
            index += 1
        case 0x2B, 0x2D:
            guard index + 6 == bytes.count, bytes[index + 3] == 0x3A,
                let hours = number(index + 1..<index + 3), let minutes = number(index + 4..<index + 6),
                hours < 24, minutes < 60
            else { return nil }
            offsetMinutes = (hours * 60 + minutes) * (bytes[index] == 0x2B ? 1 : -1)
            index += 6
        default:
            return nil
        }
        guard index == bytes.count else { return nil }
        // Year, month, day to days since 1970-01-01 (H. Hinnant's algorithm, the inverse of the one above).
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetMinutes * 60
        self.init(millisecondsSinceEpoch: seconds * 1000 + milliseconds)
    }

    private static func days(inMonth month: Int64, of year: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// For years outside 0000-9999, which the fixed-width rendering cannot hold.
    private static let withFraction = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)
}
