import Foundation

/// Small helpers shared by the charts: text escaped for SVG, numbers written compactly, tick values and the palette.
enum SVG {
    /// `text` with the five characters XML reserves replaced by their entities.
    static func escaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    /// A coordinate with at most one decimal.
    static func number(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(format: "%.1f", rounded)
    }

    /// A value for an axis label: integers plainly, thousands as k, small values with up to three decimals.
    static func label(_ value: Double) -> String {
        let magnitude = abs(value)
        if magnitude >= 10_000 { return String(format: "%.0fk", value / 1000) }
        if magnitude >= 1000 { return String(format: "%.1fk", value / 1000).replacingOccurrences(of: ".0k", with: "k") }
        if value == value.rounded() { return String(Int(value)) }
        if magnitude >= 1 { return String(format: "%.1f", value) }
        return String(format: "%.3g", value)
    }

    /// Up to about `count` round tick values from 0 (or `low`) to at least `high`: steps of 1, 2 or 5 times a power
    /// of ten.
    static func ticks(from low: Double = 0, to high: Double, count: Int = 5) -> [Double] {
        guard high > low else { return [low, low + 1] }
        let raw = (high - low) / Double(max(1, count))
        let power = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * power }.first { $0 >= raw } ?? raw
        var ticks: [Double] = []
        var value = floor(low / step) * step
        while value < high + step * 0.999 {
            ticks.append(value)
            value += step
        }
        return ticks
    }

    /// Colours that stay apart for colour-blind readers (Okabe-Ito), then greys.
    static let palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]

    static func colour(_ index: Int) -> String { palette[index % palette.count] }
}
