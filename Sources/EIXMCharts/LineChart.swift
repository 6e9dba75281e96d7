/// Lines over a shared x axis (seconds of a run, say), with a legend; drawn as an inline SVG.
public struct LineChart: Sendable {
    public struct Series: Sendable {
        public var name: String
        public var points: [(x: Double, y: Double)]

        public init(name: String, points: [(x: Double, y: Double)]) {
            self.name = name
            self.points = points
        }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var series: [Series]
    /// Shaded bands behind the lines (faults, say), with their labels.
    public var bands: [(from: Double, to: Double, label: String)]
    public var width = 720.0
    public var height = 260.0

    public init(
        title: String,
        xLabel: String,
        yLabel: String,
        series: [Series],
        bands: [(from: Double, to: Double, label: String)] = []
    ) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.bands = bands
    }

    /// No point to draw.
    public var isEmpty: Bool { series.allSatisfy(\.points.isEmpty) }

    public var svg: String {
        let left = 56.0
        let right = 16.0
        let top = 28.0
        let bottom = 40.0 + 18 * Double((series.count + 2) / 3)
        let plotWidth = width - left - right
        let plotHeight = height - top - bottom
        let all = series.flatMap(\.points)
        let xMax = max(all.map(\.x).max() ?? 1, bands.map(\.to).max() ?? 0, 1)
        let xMin = min(all.map(\.x).min() ?? 0, 0)
        let yTicks = SVG.ticks(to: max(all.map(\.y).max() ?? 1, 1e-9))
        let yMax = yTicks.last ?? 1
        let xTicks = SVG.ticks(from: xMin, to: xMax, count: 6).filter { $0 <= xMax }
        func x(_ value: Double) -> Double { left + (value - xMin) / max(xMax - xMin, 1e-9) * plotWidth }
        func y(_ value: Double) -> Double { top + plotHeight - value / yMax * plotHeight }

        var out = ChartFrame.open(title: title, width: width, height: height, marks: all.count)
        for band in bands {
            out += "<rect class=\"band\" x=\"\(SVG.number(x(band.from)))\" y=\"\(SVG.number(top))\" "
            out += "width=\"\(SVG.number(max(1, x(band.to) - x(band.from))))\" height=\"\(SVG.number(plotHeight))\">"
            out += "<title>\(SVG.escaped(band.label))</title></rect>"
        }
        for tick in yTicks {
            out += ChartFrame.horizontalGrid(y: y(tick), from: left, to: left + plotWidth, label: SVG.label(tick))
        }
        for tick in xTicks {
            out += ChartFrame.verticalTick(x: x(tick), y: top + plotHeight, label: SVG.label(tick))
        }
        out += ChartFrame.axisTitles(
            x: xLabel,
            y: yLabel,
            center: left + plotWidth / 2,
            bottom: top + plotHeight + 32,
            middle: top + plotHeight / 2
        )
        for (index, line) in series.enumerated() where !line.points.isEmpty {
            let path = line.points.map { "\(SVG.number(x($0.x))),\(SVG.number(y($0.y)))" }.joined(separator: " ")
            out += "<polyline class=\"mark\" fill=\"none\" stroke=\"\(SVG.colour(index))\" stroke-width=\"1.6\" "
            out += "points=\"\(path)\"><title>\(SVG.escaped(line.name))</title></polyline>"
        }
        out += ChartFrame.legend(
            series.map(\.name),
            left: left,
            top: top + plotHeight + 44,
            width: plotWidth
        )
        return out + "</svg>"
    }
}
