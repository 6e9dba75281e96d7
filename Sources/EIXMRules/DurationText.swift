/// Durations written for people: a whole number and a unit, `ms`, `s`, `m`, `h` or `d` (e.g. `8h`, `3d`).
public enum DurationText {
    /// The duration in milliseconds, or `nil` when the text is not of that form or overflows.
    public static func milliseconds(_ text: String) -> Int64? {
        let units: [(suffix: String, milliseconds: Int64)] = [
            ("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000),
        ]
        for unit in units where text.hasSuffix(unit.suffix) {
            let number = text.dropLast(unit.suffix.count)
            guard !number.isEmpty, number.allSatisfy(\.isASCIIDigit), let value = Int64(number) else { continue }
            let (result, overflow) = value.multipliedReportingOverflow(by: unit.milliseconds)
            return overflow ? nil : result
        }
        return nil
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
