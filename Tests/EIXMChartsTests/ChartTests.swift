import Foundation
import Testing

@testable import EIXMCharts

#if canImport(FoundationXML)
import FoundationXML
#endif

@Suite("SVG charts")
struct ChartTests {
    /// An element of a parsed SVG: its name, attributes and own text.
    final class Element {
        let name: String
        let attributes: [String: String]
        var text = ""

        init(name: String, attributes: [String: String]) {
            self.name = name
            self.attributes = attributes
        }
    }

    /// Reads an SVG with Foundation's XML parser (so a label that was not escaped fails here) into its elements, in
    /// document order.
    final class Reader: NSObject, XMLParserDelegate {
        var elements: [Element] = []
        private var open: [Element] = []

        func parser(
            _ parser: XMLParser,
            didStartElement name: String,
            namespaceURI: String?,
            qualifiedName: String?,
            attributes: [String: String]
        ) {
            let element = Element(name: name, attributes: attributes)
            elements.append(element)
            open.append(element)
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { open.last?.text += string }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            open.removeLast()
        }
    }

    static func parsed(_ svg: String) throws -> [Element] {
        let reader = Reader()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = reader
        #expect(parser.parse(), "not well-formed: \(parser.parserError.map { "\($0)" } ?? "?")")
        return reader.elements
    }

    static let hostile = "<script>alert('x')</script> & \"quoted\""

    @Test(
        "a line chart is well-formed XML with one polyline per series, the title escaped, and its points inside the plot"
    )
    func lineChart() throws {
        let chart = LineChart(
            title: Self.hostile,
            xLabel: "seconds",
            yLabel: "messages/s",
            series: [
                .init(name: "accepted", points: [(0, 0), (1, 50), (2, 100)]),
                .init(name: Self.hostile, points: [(0, 10), (1, 10), (2, 10)]),
            ],
            bands: [(from: 0.5, to: 1.5, label: "router crash")]
        )
        let root = try Self.parsed(chart.svg)
        #expect(root.first?.attributes["data-marks"] == "6")
        let lines = root.filter { $0.name == "polyline" }
        #expect(lines.count == 2)
        #expect(root.first { $0.name == "title" }?.text == Self.hostile)
        #expect(!chart.svg.contains("<script>"))
        // The highest point of the first line (100) is at the top tick, the lowest (0) at the bottom.
        let points = try #require(lines.first?.attributes["points"]).split(separator: " ")
        let ys = points.compactMap { Double($0.split(separator: ",")[1]) }
        #expect(ys[0] > ys[2])
        #expect(ys[2] >= 28)
        #expect(root.contains { $0.name == "rect" && $0.attributes["class"] == "band" })
    }

    @Test("a bar chart has a mark per positive segment and says each row's total; an all-zero chart is empty")
    func barChart() throws {
        let chart = BarChart(
            title: "Deadlines",
            segments: ["met", "breached"],
            rows: [
                .init(label: "DL-01", values: [3, 1], detail: "urgent requests: 8 hours"),
                .init(label: "DL-02", values: [0, 2]),
            ]
        )
        let root = try Self.parsed(chart.svg)
        #expect(root.first?.attributes["data-marks"] == "3")
        let marks = root.filter { $0.name == "rect" && $0.attributes["class"] == "mark" }
        #expect(marks.count == 3)
        let texts = root.filter { $0.name == "text" }.map(\.text)
        #expect(texts.contains("4"))
        #expect(texts.contains("2"))
        #expect(BarChart(title: "none", segments: ["n"], rows: [.init(label: "a", values: [0])]).isEmpty)
        #expect(!chart.isEmpty)
    }

    @Test("a heat map has a cell per pair, marks only where the count is above zero, and darker cells for more")
    func heatMap() throws {
        let chart = HeatMap(
            title: "Traffic",
            rowLabel: "sender",
            columnLabel: "recipient",
            rows: ["SPOC-BE", "SPOC-FR"],
            columns: ["SPOC-BE", "SPOC-FR"],
            values: [[0, 9], [1, 0]]
        )
        let root = try Self.parsed(chart.svg)
        let cells = root.filter { $0.name == "rect" && $0.attributes["class"]?.contains("cell") == true }
        #expect(cells.count == 4)
        #expect(root.first?.attributes["data-marks"] == "2")
        let opacity = cells.compactMap { Double($0.attributes["fill-opacity"] ?? "") }
        #expect(opacity == [0, 1, opacity[2], 0])
        #expect(opacity[2] > 0 && opacity[2] < 1)
    }

    @Test("a span chart draws one bar per span and a recovery tick where one is given")
    func spanChart() throws {
        let chart = SpanChart(
            title: "Faults",
            xLabel: "seconds",
            spans: [
                .init(label: "router_crash", from: 2, to: 3, marker: 3.4, detail: "recovered 0.4 s after"),
                .init(label: "partition SPOC-MT", from: 1, to: 4, detail: "never recovered"),
            ],
            end: 8
        )
        let root = try Self.parsed(chart.svg)
        #expect(root.count { $0.name == "rect" && $0.attributes["class"] == "mark" } == 2)
        #expect(root.count { $0.name == "line" && $0.attributes["class"] == "recovery" } == 1)
        #expect(SpanChart(title: "none", xLabel: "s", spans: [], end: 1).isEmpty)
    }

    @Test("ticks are round steps of 1, 2 or 5 that reach the largest value")
    func ticks() {
        #expect(SVG.ticks(to: 97) == [0, 20, 40, 60, 80, 100])
        #expect(SVG.ticks(to: 4) == [0, 1, 2, 3, 4])
        #expect(SVG.ticks(to: 0.03).last! >= 0.03)
        #expect(SVG.label(12_500) == "12k")
        #expect(SVG.label(1500) == "1.5k")
        #expect(SVG.label(2000) == "2k")
    }
}
