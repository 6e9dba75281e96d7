/// The parts every chart shares: the opening `<svg>` with its title, grid lines, ticks, axis titles and a legend.
enum ChartFrame {
    /// Opens a chart; `marks` (the number of data marks drawn) goes into `data-marks`, which the browser check reads
    /// to tell a chart with data from an empty one.
    static func open(title: String, width: Double, height: Double, marks: Int) -> String {
        "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(SVG.number(width)) \(SVG.number(height))\" "
            + "width=\"\(SVG.number(width))\" height=\"\(SVG.number(height))\" role=\"img\" "
            + "aria-label=\"\(SVG.escaped(title))\" data-marks=\"\(marks)\">"
            + "<title>\(SVG.escaped(title))</title>"
            + "<text class=\"chart-title\" x=\"8\" y=\"18\">\(SVG.escaped(title))</text>"
    }

    static func horizontalGrid(y: Double, from left: Double, to right: Double, label: String) -> String {
        "<line class=\"grid\" x1=\"\(SVG.number(left))\" x2=\"\(SVG.number(right))\" y1=\"\(SVG.number(y))\" "
            + "y2=\"\(SVG.number(y))\"/><text class=\"tick\" x=\"\(SVG.number(left - 6))\" y=\"\(SVG.number(y + 4))\" "
            + "text-anchor=\"end\">\(SVG.escaped(label))</text>"
    }

    static func verticalTick(x: Double, y: Double, label: String) -> String {
        "<line class=\"axis\" x1=\"\(SVG.number(x))\" x2=\"\(SVG.number(x))\" y1=\"\(SVG.number(y))\" "
            + "y2=\"\(SVG.number(y + 4))\"/><text class=\"tick\" x=\"\(SVG.number(x))\" y=\"\(SVG.number(y + 16))\" "
            + "text-anchor=\"middle\">\(SVG.escaped(label))</text>"
    }

    static func axisTitles(x: String, y: String, center: Double, bottom: Double, middle: Double) -> String {
        "<text class=\"axis-title\" x=\"\(SVG.number(center))\" y=\"\(SVG.number(bottom))\" text-anchor=\"middle\">"
            + "\(SVG.escaped(x))</text><text class=\"axis-title\" transform=\"translate(14 \(SVG.number(middle))) "
            + "rotate(-90)\" text-anchor=\"middle\">\(SVG.escaped(y))</text>"
    }

    /// Swatches and names, three to a row.
    static func legend(_ names: [String], left: Double, top: Double, width: Double) -> String {
        var out = ""
        let column = width / 3
        for (index, name) in names.enumerated() {
            let x = left + Double(index % 3) * column
            let y = top + Double(index / 3) * 18
            out += "<rect x=\"\(SVG.number(x))\" y=\"\(SVG.number(y - 9))\" width=\"10\" height=\"10\" "
            out += "fill=\"\(SVG.colour(index))\"/><text class=\"legend\" x=\"\(SVG.number(x + 14))\" "
            out += "y=\"\(SVG.number(y))\">\(SVG.escaped(name))</text>"
        }
        return out
    }
}
