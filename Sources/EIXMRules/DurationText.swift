/// Durations written for people: numbers with units `d`, `h`, `m`, `s` or `ms`, largest first, the last number
/// perhaps with a decimal fraction (e.g. `8h`, `3d`, `1m30s`, `1.5s`, `250ms`).
public enum DurationText {
    /// The forms, for error messages.
    public static let examples = "such as 8h, 1m30s, 1.5s or 250ms"

    /// The duration in milliseconds (a fraction of a millisecond dropped), or `nil` when the text is not of that form
    /// or overflows.
    public static func milliseconds(_ text: String) -> Int64? {
        let units: [(suffix: String, milliseconds: Int64)] = [
            ("d", 86_400_000), ("h", 3_600_000), ("ms", 1), ("m", 60_000), ("s", 1000),
        ]
        var rest = Substring(text)
        var total: Int64 = 0
        var lastUnit = Int64.max
        var sawFraction = false
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let whole = rest.prefix { $0.isASCIIDigit }
            rest = rest.dropFirst(whole.count)
            var fraction: Substring = ""
            if rest.first == "." {
                fraction = rest.dropFirst().prefix { $0.isASCIIDigit }
                guard !fraction.isEmpty else { return nil }
                rest = rest.dropFirst(1 + fraction.count)
            }
            guard !whole.isEmpty, !sawFraction, whole.count + fraction.count <= 18,
                let unit = units.first(where: { rest.hasPrefix($0.suffix) }), unit.milliseconds < lastUnit,
                let number = Int64(whole)
            else { return nil }
            rest = rest.dropFirst(unit.suffix.count)
            lastUnit = unit.milliseconds
            sawFraction = !fraction.isEmpty
            let (part, overflow) = number.multipliedReportingOverflow(by: unit.milliseconds)
            guard !overflow else { return nil }
            var sum = part
            if !fraction.isEmpty, let digits = Int64(fraction) {
                var scale: Int64 = 1
                for _ in fraction { scale *= 10 }
                let (scaled, tooBig) = digits.multipliedReportingOverflow(by: unit.milliseconds)
                guard !tooBig else { return nil }
                sum += scaled / scale
            }
            let (next, overflowed) = total.addingReportingOverflow(sum)
            guard !overflowed else { return nil }
            total = next
        }
        return total
    }

    /// A whole number of seconds written with the largest unit that divides it: `28800` → `8h`.
    public static func text(seconds: Int64) -> String {
        for (unit, size) in [("d", Int64(86_400)), ("h", 3600), ("m", 60)] where seconds >= size && seconds % size == 0
        {
            return "\(seconds / size)\(unit)"
        }
        return "\(seconds)s"
    }

    /// A whole number of milliseconds the same way: `1500` → `1500ms`, `7_200_000` → `2h`.
    public static func text(milliseconds: Int64) -> String {
        milliseconds % 1000 == 0 ? text(seconds: milliseconds / 1000) : "\(milliseconds)ms"
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
