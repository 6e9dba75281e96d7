/// Horizontal bars, one per row, each split into stacked segments (one segment per name in `segments`); drawn as an
/// inline SVG with each row's label on the left and its total on the right.
public struct BarChart: Sendable {
    public struct Row: Sendable {
        public var label: String
        public var values: [Double]
        /// Shown when the mouse rests on the row's label (a rule's text, say).
        public var detail: String?

        public init(label: String, values: [Double], detail: String? = nil) {
            self.label = label
            self.values = values
            self.detail = detail
        }
    }

    public var title: String
    public var segments: [String]
    public var rows: [Row]
    public var width = 720.0

    public init(title: String, segments: [String], rows: [Row]) {
        self.title = title
        self.segments = segments
        self.rows = rows
    }

    /// No bar longer than zero.
    public var isEmpty: Bool { rows.allSatisfy { $0.values.reduce(0, +) <= 0 } }

    public var svg: String {
        let left = 150.0
        let right = 64.0
        let top = 30.0
        let rowHeight = 20.0
        let legendHeight = segments.count > 1 ? 18.0 * Double((segments.count + 2) / 3) + 8 : 0
        let height = top + rowHeight * Double(rows.count) + 8 + legendHeight
        let plotWidth = width - left - right
        let largest = max(rows.map { $0.values.reduce(0, +) }.max() ?? 1, 1e-9)
        let marks = rows.reduce(0) { $0 + $1.values.count { $0 > 0 } }
        var out = ChartFrame.open(title: title, width: width, height: height, marks: marks)
        for (index, row) in rows.enumerated() {
            let y = top + Double(index) * rowHeight
            out += "<text class=\"tick\" x=\"\(SVG.number(left - 6))\" y=\"\(SVG.number(y + 13))\" text-anchor=\"end\">"
            out += SVG.escaped(row.label)
            if let detail = row.detail { out += "<title>\(SVG.escaped(detail))</title>" }
            out += "</text>"
            var x = left
            for (segment, value) in row.values.enumerated() where value > 0 {
                let length = max(1, value / largest * plotWidth)
                out += "<rect class=\"mark\" x=\"\(SVG.number(x))\" y=\"\(SVG.number(y + 3))\" "
                out += "width=\"\(SVG.number(length))\" height=\"\(SVG.number(rowHeight - 6))\" "
                out += "fill=\"\(SVG.colour(segment))\"><title>"
                out += SVG.escaped("\(row.label): \(segments.indices.contains(segment) ? segments[segment] + " " : "")")
                out += "\(SVG.label(value))</title></rect>"
                x += length
            }
            out += "<text class=\"tick\" x=\"\(SVG.number(x + 6))\" y=\"\(SVG.number(y + 13))\">"
            out += "\(SVG.label(row.values.reduce(0, +)))</text>"
        }
        if segments.count > 1 {
            out += ChartFrame.legend(
                segments,
                left: left,
                top: top + rowHeight * Double(rows.count) + 20,
                width: plotWidth
            )
        }
        return out + "</svg>"
    }
}
