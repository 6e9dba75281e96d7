import EIXMAudit
import Foundation

/// Prints the records `eixm audit query` found, as they come: a table whose columns are as wide as the widest
/// value of the first rows (later, wider values push their line out rather than hold every row in memory), CSV,
/// or the records' JSON lines as written.
struct QueryOutput {
    enum Format: String, CaseIterable {
        case table, json, csv
    }

    let format: Format
    private var pending: [AuditRow] = []
    private var widths: [Int]?
    private(set) var count = 0
    /// Output waiting to be written: written in blocks, not a system call per line.
    private var buffer: [UInt8] = []
    /// Rows held to size the table's columns.
    static let sizingRows = 1000

    init(format: Format) {
        self.format = format
        buffer.reserveCapacity(1 << 16)
        if format == .csv { emit(AuditRow.csvTitles.joined(separator: ",")) }
    }

    /// A record: its row, and its line as written (for JSON).
    mutating func add(_ row: AuditRow, text: @autoclosure () throws -> String) rethrows {
        count += 1
        switch format {
        case .json: emit(try text())
        case .csv: emit(row.csvLine)
        case .table:
            if let widths {
                emit(Self.line(row.fields, widths))
            } else {
                pending.append(row)
                if pending.count == Self.sizingRows { flushTable() }
            }
        }
    }

    /// A record's CSV line as the index holds it (bytes, no string made).
    mutating func addCSVLine(_ line: UnsafeBufferPointer<UInt8>) {
        count += 1
        buffer.append(contentsOf: line)
        endLine()
    }

    /// Ends the output: the table's held rows, and the count.
    mutating func finish() {
        if format == .table {
            flushTable()
            emit("\(count) record(s)")
        }
        FileHandle.standardOutput.write(Data(buffer))
        buffer = []
    }

    private mutating func flushTable() {
        guard widths == nil else { return }
        var widths = AuditRow.titles.map(\.count)
        for row in pending {
            for (index, field) in row.fields.enumerated() { widths[index] = max(widths[index], field.count) }
        }
        // The last column (reasons) is not padded.
        emit(Self.line(AuditRow.titles, widths))
        for row in pending { emit(Self.line(row.fields, widths)) }
        pending = []
        self.widths = widths
    }

    static func line(_ fields: [String], _ widths: [Int]) -> String {
        fields.enumerated().map { index, field in
            index == fields.count - 1
                ? field : field.padding(toLength: max(widths[index], field.count), withPad: " ", startingAt: 0)
        }.joined(separator: "  ")
    }

    private mutating func emit(_ line: String) {
        buffer.append(contentsOf: line.utf8)
        endLine()
    }

    private mutating func endLine() {
        buffer.append(0x0A)
        if buffer.count >= 1 << 16 {
            FileHandle.standardOutput.write(Data(buffer))
            buffer.removeAll(keepingCapacity: true)
        }
    }
}
