import Foundation

/// A matrix of counts (rows: senders, columns: recipients, say) as coloured cells, darker for more; drawn as an
/// inline SVG with the count of each cell in its tooltip.
public struct HeatMap: Sendable {
    public var title: String
    public var rowLabel: String
    public var columnLabel: String
    public var rows: [String]
    public var columns: [String]
    /// `values[row][column]`.
    public var values: [[Double]]

    public init(
        title: String,
        rowLabel: String,
        columnLabel: String,
        rows: [String],
        columns: [String],
        values: [[Double]]
    ) {
        self.title = title
        self.rowLabel = rowLabel
        self.columnLabel = columnLabel
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    /// No cell above zero.
    public var isEmpty: Bool { values.allSatisfy { $0.allSatisfy { $0 <= 0 } } }

    public var svg: String {
        let cell = max(10, min(18, 560 / Double(max(columns.count, 1))))
        let left = 90.0
        let top = 96.0
        let width = left + cell * Double(columns.count) + 16
        let height = top + cell * Double(rows.count) + 16
        let largest = max(values.flatMap { $0 }.max() ?? 1, 1e-9)
        let marks = values.reduce(0) { $0 + $1.count { $0 > 0 } }
        var out = ChartFrame.open(title: title, width: width, height: height, marks: marks)
        out += "<text class=\"axis-title\" x=\"\(SVG.number(left))\" y=\"36\">"
        out += "\(SVG.escaped(rowLabel)) (rows) → \(SVG.escaped(columnLabel)) (columns)</text>"
        for (index, column) in columns.enumerated() {
            let x = left + (Double(index) + 0.7) * cell
            out += "<text class=\"tick small\" transform=\"translate(\(SVG.number(x)) \(SVG.number(top - 4))) "
            out += "rotate(-60)\">\(SVG.escaped(column))</text>"
        }
        for (row, name) in rows.enumerated() {
            let y = top + Double(row) * cell
            out += "<text class=\"tick small\" x=\"\(SVG.number(left - 4))\" y=\"\(SVG.number(y + cell * 0.75))\" "
            out += "text-anchor=\"end\">\(SVG.escaped(name))</text>"
            for (column, value) in (values.indices.contains(row) ? values[row] : []).enumerated() {
                let x = left + Double(column) * cell
                // Square-root scale: a few heavy pairs do not wash out the rest.
                let strength = value > 0 ? 0.12 + 0.88 * (value / largest).squareRoot() : 0
                out += "<rect class=\"\(value > 0 ? "mark cell" : "cell")\" x=\"\(SVG.number(x))\" "
                out += "y=\"\(SVG.number(y))\" width=\"\(SVG.number(cell - 1))\" height=\"\(SVG.number(cell - 1))\" "
                out += "fill=\"#0072B2\" fill-opacity=\"\(String(format: "%.2f", strength))\">"
                let columnName = columns.indices.contains(column) ? columns[column] : "?"
                out += "<title>\(SVG.escaped("\(name) → \(columnName): \(SVG.label(value))"))</title></rect>"
            }
        }
        return out + "</svg>"
    }
}
