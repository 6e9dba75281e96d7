/// Spans on a time line, one row each (faults, say: when each struck and for how long), with an optional marker per
/// row (when it recovered); drawn as an inline SVG.
public struct SpanChart: Sendable {
    public struct Span: Sendable {
        public var label: String
        public var from: Double
        public var to: Double
        /// A point on the row marked with a tick (recovery), or `nil`.
        public var marker: Double?
        public var detail: String

        public init(label: String, from: Double, to: Double, marker: Double? = nil, detail: String) {
            self.label = label
            self.from = from
            self.to = to
            self.marker = marker
            self.detail = detail
        }
    }

    public var title: String
    public var xLabel: String
    public var spans: [Span]
    /// The end of the axis (the run's length).
    public var end: Double
    public var width = 720.0

    public init(title: String, xLabel: String, spans: [Span], end: Double) {
        self.title = title
        self.xLabel = xLabel
        self.spans = spans
        self.end = end
    }

    public var isEmpty: Bool { spans.isEmpty }

    public var svg: String {
        let left = 200.0
        let right = 16.0
        let top = 30.0
        let rowHeight = 22.0
        let plotWidth = width - left - right
        let plotBottom = top + rowHeight * Double(spans.count)
        let height = plotBottom + 44
        let xMax = max(end, spans.map { max($0.to, $0.marker ?? 0) }.max() ?? 1, 1)
        func x(_ value: Double) -> Double { left + value / xMax * plotWidth }
        var out = ChartFrame.open(title: title, width: width, height: height, marks: spans.count)
        for tick in SVG.ticks(to: xMax, count: 6) where tick <= xMax {
            out += ChartFrame.verticalTick(x: x(tick), y: plotBottom, label: SVG.label(tick))
        }
        out += "<text class=\"axis-title\" x=\"\(SVG.number(left + plotWidth / 2))\" "
        out += "y=\"\(SVG.number(plotBottom + 34))\" text-anchor=\"middle\">\(SVG.escaped(xLabel))</text>"
        for (index, span) in spans.enumerated() {
            let y = top + Double(index) * rowHeight
            out += "<text class=\"tick\" x=\"\(SVG.number(left - 6))\" y=\"\(SVG.number(y + 14))\" "
            out += "text-anchor=\"end\">\(SVG.escaped(span.label))</text>"
            out += "<rect class=\"mark\" x=\"\(SVG.number(x(span.from)))\" y=\"\(SVG.number(y + 4))\" "
            out += "width=\"\(SVG.number(max(2, x(span.to) - x(span.from))))\" height=\"\(SVG.number(rowHeight - 8))\" "
            out += "fill=\"\(SVG.colour(1))\"><title>\(SVG.escaped(span.detail))</title></rect>"
            if let marker = span.marker {
                out += "<line class=\"recovery\" x1=\"\(SVG.number(x(marker)))\" x2=\"\(SVG.number(x(marker)))\" "
                out +=
                    "y1=\"\(SVG.number(y + 1))\" y2=\"\(SVG.number(y + rowHeight - 1))\" stroke=\"\(SVG.colour(2))\" "
                out += "stroke-width=\"3\"><title>recovered</title></line>"
            }
        }
        return out + "</svg>"
    }
}
